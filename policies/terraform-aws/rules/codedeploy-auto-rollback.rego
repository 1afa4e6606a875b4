# METADATA
# title: CodeDeploy deployment groups roll back on failure and on alarm
# description: >-
#   A CodeDeploy deployment group without automatic rollback leaves a failed deployment
#   half-done, and one that does not watch alarms keeps shifting traffic to a release that is
#   raising errors. An `aws_codedeploy_deployment_group` must have `auto_rollback_configuration`
#   enabled with both `DEPLOYMENT_FAILURE` and `DEPLOYMENT_STOP_ON_ALARM` events, and an
#   `alarm_configuration` that is enabled and names at least one CloudWatch alarm — without
#   alarms, `DEPLOYMENT_STOP_ON_ALARM` never fires.
#   A value ward cannot know before `terraform apply` (`${…}`: a resource's attribute, a variable with no default nor tfvars value) is not reported: the rule passes on it.
# related_resources:
#   - https://docs.aws.amazon.com/codedeploy/latest/userguide/deployments-rollback-and-redeploy.html
#   - https://docs.aws.amazon.com/codedeploy/latest/userguide/monitoring-create-alarms.html
#   - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/codedeploy_deployment_group#auto_rollback_configuration
# custom:
#   id: AWS-022
#   severity: high
#   kinds: [terraform]
#   types: [aws_codedeploy_deployment_group]
#   remediation: >-
#     Add `auto_rollback_configuration { enabled = true, events = ["DEPLOYMENT_FAILURE",
#     "DEPLOYMENT_STOP_ON_ALARM"] }` and `alarm_configuration { enabled = true, alarms =
#     [aws_cloudwatch_metric_alarm.<errors>.alarm_name] }`.
package ward.terraform_aws.codedeploy_auto_rollback

import rego.v1

import data.ward.terraform_aws.lib

required_events := ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"]

group if {
	input.meta.type == "aws_codedeploy_deployment_group"
	input.object.block == "resource"
}

config := input.object.config

deny contains result if {
	group
	count(object.get(config, "auto_rollback_configuration", [])) == 0
	result := {
		"msg": sprintf("deployment group %s has no auto_rollback_configuration: failed deployments are not rolled back", [input.meta.name]),
		"path": [],
	}
}

deny contains result if {
	group
	some i, rollback in config.auto_rollback_configuration
	not enabled(rollback)
	result := {
		"msg": sprintf("deployment group %s does not enable automatic rollback (enabled = true)", [input.meta.name]),
		"path": ["config", "auto_rollback_configuration", i, "enabled"],
	}
}

deny contains result if {
	group
	some i, rollback in config.auto_rollback_configuration
	enabled(rollback)
	events := object.get(rollback, "events", [])
	is_array(events)
	missing := [e | some e in required_events; not e in events]
	count(missing) > 0
	result := {
		"msg": sprintf("deployment group %s does not roll back on %s", [input.meta.name, concat(" or ", missing)]),
		"path": ["config", "auto_rollback_configuration", i, "events"],
	}
}

deny contains result if {
	group
	not alarms_watched
	result := {
		"msg": sprintf("deployment group %s watches no CloudWatch alarm (alarm_configuration): nothing stops a bad deployment", [input.meta.name]),
		"path": ["config", "alarm_configuration"],
	}
}

enabled(block) if lib.is_true(block.enabled)

enabled(block) if lib.unknown(block.enabled)

alarms_watched if {
	some alarm in config.alarm_configuration
	not lib.is_false(object.get(alarm, "enabled", true))
	alarms := object.get(alarm, "alarms", [])
	watched(alarms)
}

watched(alarms) if count(alarms) > 0

watched(alarms) if lib.unknown(alarms)
