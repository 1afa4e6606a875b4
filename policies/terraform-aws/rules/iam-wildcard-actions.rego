# METADATA
# title: IAM policies do not allow every action
# description: >-
#   `Action: "*"` is administrator access: whoever holds the policy can read every secret,
#   delete every resource and grant themselves anything else, and a leaked credential or a
#   compromised workload takes the whole account with it. A whole-service wildcard (`s3:*`,
#   `iam:*`) is the same within a service, including its destructive and permission-changing
#   actions (reported too unless the `iam_report_service_wildcards` param is false), and
#   `Allow` with `NotAction` grants everything that is not listed. With `Resource: "*"` (or
#   `NotResource`) it is administrator access, and the message says so; on named resources it is
#   every action on them (deleting them, rewriting their policies), reported too. Attaching the
#   AWS-managed `AdministratorAccess` policy (a `*_policy_attachment` or a role's
#   `managed_policy_arns`) is the same grant. Checked in
#   `aws_iam_policy_document` statements and in the JSON of `aws_iam_policy`,
#   `aws_iam_role_policy`, `aws_iam_user_policy`, `aws_iam_group_policy` and a role's
#   `inline_policy` (literal, heredoc or `jsonencode`; a `jsonencode` with unknown parts is read
#   from its text when it has no `Condition`). `Deny` statements are not reported.
#   A policy whose JSON cannot be resolved is read from its text, as said above; an action that is not known passes.
# related_resources:
#   - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
#   - https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-1
#   - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html
#   - https://www.cisecurity.org/benchmark/amazon_web_services
# custom:
#   id: AWS-011
#   severity: high
#   kinds: [terraform]
#   types: [aws_iam_policy_document, aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy, aws_ssoadmin_permission_set_inline_policy, aws_iam_role, aws_iam_role_policy_attachment, aws_iam_user_policy_attachment, aws_iam_group_policy_attachment, aws_iam_policy_attachment]
#   remediation: >-
#     List the actions the workload calls (IAM Access Analyzer can generate them from CloudTrail
#     activity), e.g. `actions = ["s3:GetObject", "s3:PutObject"]`, on the resources it needs.
package ward.terraform_aws.iam_wildcard_actions

import rego.v1

import data.ward.terraform_aws.lib

report_service_wildcards := object.get(input.params, "iam_report_service_wildcards", true)

deny contains result if {
	some statement in lib.iam_statements
	statement.effect == "Allow"
	wildcards := [a | some a in statement.actions; lib.wildcard_action(a, report_service_wildcards)]
	count(wildcards) > 0
	result := {
		"msg": sprintf("%s allows %s: every action%s on %s%s", [statement.name, quoted(wildcards), of_service(wildcards), lib.resources_text(statement), administrator(wildcards, statement)]),
		"path": statement.actions_path,
	}
}

deny contains result if {
	some statement in lib.iam_statements
	statement.effect == "Allow"
	count(statement.not_actions) > 0
	result := {
		"msg": sprintf("%s allows every action except %s (Allow with NotAction) on %s", [statement.name, lib.text_list(statement.not_actions), lib.resources_text(statement)]),
		"path": statement.actions_path,
	}
}

# The AWS-managed administrator policy, attached.
deny contains result if {
	input.meta.type in {"aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment"}
	input.object.block == "resource"
	administrator_policy(input.object.config.policy_arn)
	result := {
		"msg": sprintf("%s attaches %s: every action on every resource (administrator access)", [lib.label(input.meta), input.object.config.policy_arn]),
		"path": ["config", "policy_arn"],
	}
}

deny contains result if {
	input.meta.type == "aws_iam_role"
	input.object.block == "resource"
	some i, arn in lib.as_list(object.get(input.object.config, "managed_policy_arns", []))
	administrator_policy(arn)
	result := {
		"msg": sprintf("%s attaches %s: every action on every resource (administrator access)", [lib.label(input.meta), arn]),
		"path": ["config", "managed_policy_arns", i],
	}
}

administrator_policy(arn) if {
	is_string(arn)
	regex.match(`^arn:aws[a-z-]*:iam::aws:policy/AdministratorAccess$`, arn)
}

administrator(wildcards, statement) := " (administrator access)" if administrator_wildcards(wildcards, statement)

administrator(wildcards, statement) := "" if not administrator_wildcards(wildcards, statement)

administrator_wildcards(wildcards, statement) if {
	"*" in wildcards
	lib.every_resource(statement)
}

deny contains result if {
	some policy in lib.unresolved_statements
	wildcards := [a | some a in lib.expression_values(policy.text, "Action"); lib.wildcard_action(a, report_service_wildcards)]
	count(wildcards) > 0
	result := {
		"msg": sprintf("%s allows %s: every action%s", [policy.name, quoted(wildcards), of_service(wildcards)]),
		"path": policy.path,
	}
}

quoted(actions) := concat(", ", [sprintf("%q", [a]) | some a in actions])

of_service(actions) := "" if "*" in actions

of_service(actions) := " of the service" if not "*" in actions
