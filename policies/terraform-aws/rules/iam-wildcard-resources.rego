# METADATA
# title: IAM policies do not grant actions on every resource
# description: >-
#   `Resource: "*"` applies a statement's actions to every resource of the account, present and
#   future: `s3:GetObject` on `*` reads every bucket, `secretsmanager:GetSecretValue` on `*`
#   reads every secret. Scope each statement to the ARNs the workload uses. Actions that cannot
#   be scoped to a resource (`sts:GetCallerIdentity`, `ecr:GetAuthorizationToken`,
#   `ec2:Describe*`, … — the `iam_actions_allowed_on_any_resource` param) may use `*`, and so may
#   statements narrowed by a `Condition` (for example on `aws:ResourceTag`). `NotResource` in an
#   `Allow` statement is every resource but those listed, and is reported like `"*"`. Checked
#   where AWS-011 looks; `Deny` statements are not reported.
#   A policy whose JSON cannot be resolved is read from its text, like AWS-011; a resource that is not known (`aws_s3_bucket.x.arn`) passes.
# related_resources:
#   - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege
#   - https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
#   - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
# custom:
#   id: AWS-012
#   severity: high
#   kinds: [terraform]
#   types: [aws_iam_policy_document, aws_iam_policy, aws_iam_role_policy, aws_iam_user_policy, aws_iam_group_policy, aws_ssoadmin_permission_set_inline_policy, aws_iam_role]
#   remediation: >-
#     Replace `"*"` with the ARNs the actions need (`aws_s3_bucket.x.arn`, `"${aws_s3_bucket.x.arn}/*"`,
#     a secret's ARN), or add a `Condition` that narrows the resources.
package ward.terraform_aws.iam_wildcard_resources

import rego.v1

import data.ward.terraform_aws.lib

allowed := object.get(input.params, "iam_actions_allowed_on_any_resource", [])

deny contains result if {
	some statement in lib.iam_statements
	statement.effect == "Allow"
	not statement.conditional
	lib.every_resource(statement)
	scoped := scopable(array.concat(statement.actions, not_actions_text(statement)))
	count(scoped) > 0
	result := {
		"msg": sprintf("%s allows %s on %s", [statement.name, lib.text_list(scoped), every_resource_text(statement)]),
		"path": statement.resources_path,
	}
}

every_resource_text(statement) := "every resource (\"*\")" if "*" in statement.resources

every_resource_text(statement) := lib.resources_text(statement) if not "*" in statement.resources

deny contains result if {
	some policy in lib.unresolved_statements
	"*" in lib.expression_values(policy.text, "Resource")
	scoped := scopable(lib.expression_values(policy.text, "Action"))
	count(scoped) > 0
	result := {
		"msg": sprintf("%s allows %s on every resource (\"*\")", [policy.name, lib.text_list(scoped)]),
		"path": policy.path,
	}
}

# The actions that could be scoped to a resource (not in the allow list), at most five named.
scopable(actions) := names if {
	candidates := [a | some a in actions; not allowed_action(a)]
	count(candidates) > 0
	names := limited(candidates)
}

# The allow list split once per evaluation: names compared as a set, and the few glob patterns
# matched one by one (a read-only policy lists a thousand actions; one glob match each per
# pattern was most of this rule's time). Case-insensitive, as `lib.action_matches`.
allowed_names := {lower(p) | some p in allowed; is_string(p); not is_glob(p)}

allowed_globs := [lower(p) | some p in allowed; is_string(p); is_glob(p)]

is_glob(pattern) if regex.match(`[*?\[{]`, pattern)

allowed_action(action) if {
	is_string(action)
	lower(action) in allowed_names
}

allowed_action(action) if lib.action_matches(action, allowed_globs)

limited(list) := list if count(list) <= 5

limited(list) := array.concat(array.slice(list, 0, 5), [sprintf("and %d more", [count(list) - 5])]) if count(list) > 5

not_actions_text(statement) := [sprintf("everything but %s", [lib.text_list(statement.not_actions)])] if count(statement.not_actions) > 0

not_actions_text(statement) := [] if count(statement.not_actions) == 0
