# METADATA
# title: Bucket and resource policies do not allow any principal
# description: >-
#   A policy statement that allows `Principal: "*"` (or `{"AWS": "*"}`) grants its actions to
#   everyone, signed in or not: on a bucket policy that is a public bucket, on a role's trust
#   policy anyone can assume the role. Checked in `aws_s3_bucket_policy` and the legacy
#   `aws_s3_bucket` `policy`, an `aws_iam_role`'s `assume_role_policy` (JSON text, heredocs and
#   resolvable `jsonencode`; for a `jsonencode` with unknown parts, its text), and in every
#   `aws_iam_policy_document` statement
#   with `principals { type = "*" }` or `type = "AWS"` and identifier `"*"`. `Deny` statements,
#   and `Allow` statements narrowed by a `Condition` (`aws:PrincipalOrgID`, `aws:SourceVpce`,
#   `aws:SourceArn`…), are not reported.
#   A policy whose JSON cannot be resolved (a `jsonencode` naming a resource's attribute) is read from its text; a principal that is not known passes.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status
#   - https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
#   - https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-2
#   - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/iam_policy_document
# custom:
#   id: AWS-003
#   severity: critical
#   kinds: [terraform]
#   types: [aws_s3_bucket_policy, aws_s3_bucket, aws_iam_role, aws_iam_policy_document]
#   remediation: >-
#     Name the principals that need access (account roots, role ARNs, `Service` principals such
#     as `cloudfront.amazonaws.com`), or add a `Condition` that narrows `*` (for example
#     `aws:SourceArn` of the CloudFront distribution, or `aws:PrincipalOrgID`).
package ward.terraform_aws.s3_policy_public_principal

import rego.v1

import data.ward.terraform_aws.lib

# The JSON policies that name principals: bucket policies, and a role's trust policy.
policy_attributes := {"aws_s3_bucket_policy": "policy", "aws_s3_bucket": "policy", "aws_iam_role": "assume_role_policy"}

# JSON policy text.
deny contains result if {
	input.object.block == "resource"
	attribute := policy_attributes[input.meta.type]
	statements := lib.json_statements(input.object.config[attribute])
	some statement in statements
	lib.json_effect(statement) == "Allow"
	not statement.Condition
	any_principal(statement.Principal)
	result := {
		"msg": sprintf("%s allows Principal \"*\" with no Condition: anyone may call %s", [lib.label(input.meta), actions_text(statement)]),
		"path": ["config", attribute],
	}
}

# A `jsonencode` that could not be resolved: read its text, when it has no Deny and no Condition
# that could make a `*` principal harmless.
deny contains result if {
	input.object.block == "resource"
	attribute := policy_attributes[input.meta.type]
	lib.unknown(input.object.config[attribute])
	text := input.object.expressions[attribute]
	not contains(text, "Deny")
	not contains(text, "Condition")
	some key in ["Principal", "AWS"]
	"*" in lib.expression_values(text, key)
	result := {
		"msg": sprintf("%s allows Principal \"*\" with no Condition: anyone can use it", [lib.label(input.meta)]),
		"path": ["config", attribute],
	}
}

# aws_iam_policy_document statements.
deny contains result if {
	input.meta.type == "aws_iam_policy_document"
	some i, statement in input.object.config.statement
	object.get(statement, "effect", "Allow") == "Allow"
	count(object.get(statement, "condition", [])) == 0
	some j, principals in statement.principals
	any_document_principal(principals)
	name := object.get(statement, "sid", sprintf("#%d", [i + 1]))
	result := {
		"msg": sprintf("policy document %s, statement %s, allows any principal (*) with no condition", [input.meta.name, name]),
		"path": ["config", "statement", i, "principals", j, "identifiers"],
	}
}

any_principal(principal) if principal == "*"

any_principal(principal) if {
	is_object(principal)
	"*" in lib.as_list(object.get(principal, "AWS", []))
}

any_document_principal(principals) if {
	principals.type == "*"
}

any_document_principal(principals) if {
	principals.type in {"*", "AWS"}
	"*" in lib.as_list(principals.identifiers)
}

actions_text(statement) := lib.text_list(lib.as_list(statement.Action)) if statement.Action

actions_text(statement) := "its actions" if not statement.Action
