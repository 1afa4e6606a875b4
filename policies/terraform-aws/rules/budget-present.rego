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

terraform := [r | some r in data.ward.graph.resources; r.kind == "terraform"]

budget if {
	some r in terraform
	r.type == "aws_budgets_budget"
	r.value.block == "resource"
}

budget if {
	some r in terraform
	r.type == "module"
	source := r.value.config.source
	is_string(source)
	contains(lower(source), "budget")
}

# The default (unaliased) aws provider of each module and environment, or its first aliased
# one when it has no default.
providers := [r | some r in terraform; r.type == "provider"; r.value.name == "aws"]

reported contains p.id if {
	some p in providers
	not p.value.config.alias
}

# Modules with a default aws provider (in any environment), and the first provider of each
# module: computed once, not per provider.
modules_with_default := {lib.module_of(d.id) | some d in providers; not d.value.config.alias}

first_provider[module] := min([o.id | some o in providers; lib.module_of(o.id) == module]) if {
	some p in providers
	module := lib.module_of(p.id)
}

reported contains p.id if {
	some p in providers
	module := lib.module_of(p.id)
	not module in modules_with_default
	p.id == first_provider[module]
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
