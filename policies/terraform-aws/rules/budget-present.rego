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

reported contains p.id if {
	some p in providers
	count([d | some d in providers; lib.in_scope(lib.scope(d.id), lib.scope(p.id)); not d.value.config.alias]) == 0
	p.id == min([o.id | some o in providers; lib.in_scope(lib.scope(o.id), lib.scope(p.id))])
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
