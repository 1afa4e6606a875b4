# METADATA
# title: An AWS root module has a budget
# description: >-
#   Without an AWS Budget, the first sign of a runaway cost — a forgotten GPU instance, a NAT
#   gateway moving terabytes, a logging loop, a leaked key mining cryptocurrency — is the
#   invoice at the end of the month. An `aws_budgets_budget` with notifications turns that into
#   an email (or a Slack message) the day spend crosses its forecast. This graph rule reports
#   every Terraform module that configures an `aws` provider (a root module) when no
#   `aws_budgets_budget` resource — and no module call whose `source` names a budget module —
#   exists anywhere in the scanned repository. Budgets are account-wide: one in the repository's
#   bootstrap or account module is enough.
#   It reads only which blocks exist, never a value: an unknown value changes nothing.
# related_resources:
#   - https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-managing-costs.html
#   - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/budgets_budget
#   - https://docs.aws.amazon.com/wellarchitected/latest/cost-optimization-pillar/cost_monitor_usage_proactive_process.html
# custom:
#   id: AWS-026
#   severity: low
#   kinds: [terraform]
#   scope: graph
#   remediation: >-
#     Add `resource "aws_budgets_budget" "monthly" { budget_type = "COST", limit_amount = "…",
#     limit_unit = "USD", time_unit = "MONTHLY", notification { … subscriber_email_addresses = […] } }`
#     (in this module or the account's bootstrap module).
package ward.terraform_aws.budget_present

import rego.v1

import data.ward.terraform_aws.lib

# The graph's Terraform blocks of a type, through its `by_type` index: a walk of every resource
# of the repository (thousands of blocks) cost more than the rest of the rule.
blocks(type) := [r |
	some i in object.get(data.ward.graph.index.by_type, type, [])
	r := data.ward.graph.resources[i]
	r.kind == "terraform"
]

budget if {
	some r in blocks("aws_budgets_budget")
	r.value.block == "resource"
}

budget if {
	some r in blocks("module")
	source := r.value.config.source
	is_string(source)
	contains(lower(source), "budget")
}

# The aws providers, each with its module (and environment) read from its id once.
providers := [{"id": r.id, "module": lib.module_of(r.id), "default": object.get(r.value.config, "alias", false) == false} |
	some r in blocks("provider")
	r.value.name == "aws"
]

# The default (unaliased) aws provider of each module and environment, or its first aliased
# one when it has no default.
reported contains p.id if {
	some p in providers
	p.default
}

modules_with_default := {p.module | some p in providers; p.default}

first_provider[module] := min([o.id | some o in providers; o.module == module]) if {
	some p in providers
	module := p.module
}

reported contains p.id if {
	some p in providers
	not p.module in modules_with_default
	p.id == first_provider[p.module]
}

deny contains result if {
	not budget
	some id in reported
	result := {
		"msg": sprintf("root module %s configures the aws provider, and the repository defines no aws_budgets_budget: nothing warns when spend runs away", [lib.module_of(id)]),
		"path": [],
		"resource": id,
	}
}
