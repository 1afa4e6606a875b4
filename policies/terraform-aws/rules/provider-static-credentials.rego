# METADATA
# title: No hard-coded AWS credentials in providers or backends
# description: >-
#   An `access_key`, `secret_key` or `token` written in a `provider "aws"` block or an `s3`
#   backend — literally, or through a variable whose default or `.tfvars` value holds it — is a
#   credential committed to the repository: everyone with read access, every fork and every CI
#   log has it, and it stays in the git history after it is removed. The provider reads
#   credentials from the environment, a shared profile, SSO, an instance or task role, or OIDC
#   web identity. Reported are values that are known statically (never printed); a variable
#   without a value (passed in at run time) is fine.
#   A value ward cannot know before `terraform apply` (`${…}`: a resource's attribute, a variable with no default nor tfvars value) is not reported: the rule passes on it.
# related_resources:
#   - https://registry.terraform.io/providers/hashicorp/aws/latest/docs#authentication-and-configuration
#   - https://developer.hashicorp.com/terraform/language/backend/s3#credentials-and-shared-configuration
#   - https://owasp.org/Top10/A07_2021-Identification_and_Authentication_Failures/
#   - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles
# custom:
#   id: AWS-024
#   severity: critical
#   kinds: [terraform]
#   types: [provider, terraform]
#   remediation: >-
#     Remove the keys from the code (and rotate them: they are in the git history), and let the
#     provider find credentials itself: `AWS_PROFILE`/SSO locally, `assume_role_with_web_identity`
#     or the CI's OIDC integration in pipelines, the instance or task role on AWS.
package ward.terraform_aws.provider_static_credentials

import rego.v1

import data.ward.terraform_aws.lib

credential_keys := ["access_key", "secret_key", "token"]

deny contains result if {
	input.meta.type == "provider"
	input.meta.name == "aws"
	some key in credential_keys
	hard_coded(input.object.config[key])
	result := {
		"msg": sprintf("provider \"aws\"%s has a hard-coded %s%s", [alias, key, source(input.object.expressions[key])]),
		"path": ["config", key],
	}
}

deny contains result if {
	input.object.block == "terraform"
	some i, backend in input.object.config.backend
	some key in credential_keys
	hard_coded(backend.s3[key])
	result := {
		"msg": sprintf("the s3 backend has a hard-coded %s%s", [key, source(input.object.expressions.backend[i].s3[key])]),
		"path": ["config", "backend", i, "s3", key],
	}
}

hard_coded(value) if {
	is_string(value)
	value != ""
	not lib.unknown(value)
}

alias := sprintf(" (alias %s)", [input.object.config.alias]) if is_string(input.object.config.alias)

alias := "" if not is_string(input.object.config.alias)

# Where the value comes from, when it is not written in place (never the value itself).
source(expression) := "" if startswith(trim_space(expression), "\"")

source(expression) := sprintf(" (through %s, whose value is in the code)", [trim_space(expression)]) if {
	not startswith(trim_space(expression), "\"")
}
