package ward.terraform_aws.budget_present_test

import rego.v1

import data.ward.terraform_aws.budget_present

provider := {"id": "tf:provider.aws@infra", "kind": "terraform", "type": "provider", "value": {"block": "provider", "name": "aws", "config": {}}}

budget_module := {"id": "tf:module.budget@account", "kind": "terraform", "type": "module", "value": {"block": "module", "config": {"source": "cloudposse/budgets/aws"}}}

test_a_provider_without_budget_is_reported if {
	results := budget_present.deny with data.ward.graph as {"resources": [provider], "edges": [], "index": {"by_type": {"provider": [0]}}} with input as {"params": {}}
	count(results) == 1
}

test_a_budget_module_counts_as_a_budget if {
	results := budget_present.deny with data.ward.graph as {"resources": [provider, budget_module], "edges": [], "index": {"by_type": {"provider": [0], "module": [1]}}} with input as {"params": {}}
	count(results) == 0
}
