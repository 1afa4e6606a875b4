# METADATA
# title: CI authenticates to AWS through OIDC, not an IAM user's static keys
# description: >-
#   A CI/CD pipeline that deploys with an IAM user's access keys keeps a permanent credential in
#   the CI's secret store, where every workflow, fork and compromised dependency of the build
#   can read it, and from where it is rarely rotated. GitHub Actions, GitLab CI, CircleCI,
#   Bitbucket and others can instead exchange a short-lived OIDC token for temporary role
#   credentials, scoped to a repository and branch — provided the account has an
#   `aws_iam_openid_connect_provider`. This graph rule looks at every Terraform module of the
#   scan: when it declares machine IAM users — an `aws_iam_user` whose name matches the
#   `ci_user_pattern` param (`ci`, `deploy`, `github`, `gitlab`, `jenkins`, `pipeline`,
#   `terraform`…), or that has an `aws_iam_access_key` and no console login profile — or access
#   keys for users defined elsewhere, and no `aws_iam_openid_connect_provider` (resource or data
#   source) exists anywhere in the scanned repository, each of them is reported. One OIDC
#   provider anywhere in the repository satisfies the rule (the provider is account-wide, and
#   usually lives in a bootstrap module).
#   A user whose name is not known is judged by its block name; a key whose user is not known is reported when no OIDC provider exists.
# related_resources:
#   - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html
#   - https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
#   - https://docs.gitlab.com/ci/cloud_services/aws/
#   - https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles
# custom:
#   id: AWS-025
#   severity: medium
#   kinds: [terraform]
#   scope: graph
#   remediation: >-
#     Add `resource "aws_iam_openid_connect_provider" "ci"` for the CI's issuer (for GitHub,
#     `https://token.actions.githubusercontent.com` with client id `sts.amazonaws.com`), a role
#     whose trust policy allows `sts:AssumeRoleWithWebIdentity` for your repository's `sub`, and
#     delete the CI user and its access keys.
package ward.terraform_aws.ci_oidc_provider

import rego.v1

import data.ward.terraform_aws.lib

pattern := concat("", ["(?i)", object.get(input.params, "ci_user_pattern", "(^|[^a-z])ci([^a-z]|$)|deploy|github|gitlab")])

terraform := [r | some r in data.ward.graph.resources; r.kind == "terraform"]

oidc_provider if {
	some r in terraform
	r.type == "aws_iam_openid_connect_provider"
}

# Resource blocks of a type.
resources_of(type) := [r | some r in terraform; r.type == type; r.value.block == "resource"]

deny contains result if {
	not oidc_provider
	some user in resources_of("aws_iam_user")
	reasons := machine_user_reasons(user)
	count(reasons) > 0
	result := {
		"msg": sprintf("IAM user %s is a CI/machine identity (%s) and the repository defines no aws_iam_openid_connect_provider: CI should assume a role through OIDC instead of using static keys", [user_label(user), concat(", ", sort(reasons))]),
		"path": [],
		"resource": user.id,
	}
}

# An access key of a user that is not defined in its module.
deny contains result if {
	not oidc_provider
	some key in resources_of("aws_iam_access_key")
	count([u | some u in resources_of("aws_iam_user"); belongs_to(key, u)]) == 0
	result := {
		"msg": sprintf("aws_iam_access_key.%s is a static key for %s and the repository defines no aws_iam_openid_connect_provider: CI should assume a role through OIDC", [key.name, trim_space(object.get(key.value.expressions, "user", "a user"))]),
		"path": [],
		"resource": key.id,
	}
}

machine_user_reasons(user) := {reason |
	some reason in ["its name looks like a CI/CD user", "it has an access key and no console login"]
	machine_user(user, reason)
}

machine_user(user, "its name looks like a CI/CD user") if {
	some name in {user.name, object.get(user.value.config, "name", "")}
	is_string(name)
	regex.match(pattern, name)
}

machine_user(user, "it has an access key and no console login") if {
	some key in resources_of("aws_iam_access_key")
	belongs_to(key, user)
	count([p | some p in resources_of("aws_iam_user_login_profile"); belongs_to(p, user)]) == 0
}

# A block whose `user` names the IAM user (by reference, or by its literal name), in its scope.
belongs_to(block, user) if {
	lib.in_scope(lib.scope(block.id), lib.scope(user.id))
	lib.refers_to(block.value.expressions.user, lib.address(user.id))
}

belongs_to(block, user) if {
	lib.in_scope(lib.scope(block.id), lib.scope(user.id))
	name := user.value.config.name
	is_string(name)
	not lib.unknown(name)
	block.value.config.user == name
}

# A user by its IAM name when known (a module's users are all `this`), and its block.
user_label(user) := sprintf("%s (aws_iam_user.%s)", [user.value.config.name, user.name]) if {
	is_string(user.value.config.name)
	not lib.unknown(user.value.config.name)
} else := sprintf("aws_iam_user.%s", [user.name])
