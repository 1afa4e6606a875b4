# METADATA
# title: Cloud access uses OIDC, not long-lived keys
# description: >-
#   Cloud keys stored as repository secrets (`AWS_SECRET_ACCESS_KEY`, a GCP service-account JSON,
#   an Azure client secret) never expire, work from anywhere, and leak through logs, forks and
#   compromised actions; rotating them is manual. GitHub's OIDC provider lets a job exchange a
#   short-lived, signed token for cloud credentials scoped to the repository, branch and
#   environment (`id-token: write` plus `aws-actions/configure-aws-credentials` with
#   `role-to-assume`, `google-github-actions/auth` with `workload_identity_provider`,
#   `azure/login` with `client-id`). The rule reports references to the secrets in the
#   `long_lived_cloud_secrets` param anywhere in the workflow, static-key inputs of the cloud
#   login actions, and jobs that assume a role through OIDC without `id-token: write` (the
#   token exchange fails, which tempts people back to static keys).
# related_resources:
#   - https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect
#   - https://github.com/aws-actions/configure-aws-credentials
#   - https://github.com/google-github-actions/auth
#   - https://owasp.org/www-project-top-10-ci-cd-security-risks/CICD-SEC-06-Insufficient-Credential-Hygiene
# custom:
#   id: CI-005
#   severity: high
#   kinds: [github-workflow]
#   remediation: >-
#     Create an IAM role (or workload identity pool / federated credential) that trusts
#     token.actions.githubusercontent.com for this repository and environment, grant the job
#     `permissions: {id-token: write, contents: read}`, log in with `role-to-assume` /
#     `workload_identity_provider` / `client-id`, then delete the key secrets and deactivate
#     the keys.
package ward.ci_pipeline.cloud_oidc

import rego.v1

import data.ward.ci_pipeline.lib

workflow := input.object

jobs := lib.jobs(workflow)

# Inputs of cloud login actions that take a static credential.
static_inputs := {
	"aws-actions/configure-aws-credentials": {"aws-access-key-id", "aws-secret-access-key", "aws-session-token"},
	"google-github-actions/auth": {"credentials_json"},
	"azure/login": {"creds"},
}

# Inputs that log in through OIDC.
oidc_inputs := {
	"aws-actions/configure-aws-credentials": {"role-to-assume"},
	"google-github-actions/auth": {"workload_identity_provider"},
	"azure/login": {"client-id"},
}

# Every string value a secret can be referenced from: [path, value, where].
strings contains [["env", key], value, "the workflow's env"] if {
	some key, value in object.get(workflow, "env", {})
	is_string(value)
}

strings contains [["jobs", id, section, key], value, sprintf("job %s", [id])] if {
	some id, job in jobs
	some section in ["env", "with", "secrets"]
	is_object(job[section])
	some key, value in job[section]
	is_string(value)
}

strings contains [["jobs", id, "steps", i, section, key], value, lib.step_label(id, i, step)] if {
	some id, job in jobs
	some i, step in lib.steps(job)
	some section in ["env", "with"]
	is_object(step[section])
	some key, value in step[section]
	is_string(value)
}

strings contains [["jobs", id, "steps", i, "run"], step.run, lib.step_label(id, i, step)] if {
	some id, job in jobs
	some i, step in lib.steps(job)
	is_string(step.run)
}

long_lived := {upper(name) | some name in object.get(input.params, "long_lived_cloud_secrets", [])}

# The long-lived secrets a value refers to: `secrets.NAME` or `secrets['NAME']`.
referenced(value) := set() if not contains(value, "secrets")

referenced(value) := {upper(match[1]) |
	contains(value, "secrets")
	some match in regex.find_all_string_submatch_n(`secrets\s*(?:\.\s*|\[\s*['"])([A-Za-z_][A-Za-z0-9_]*)`, value, -1)
	upper(match[1]) in long_lived
}

deny contains result if {
	some [path, value, where] in strings
	names := referenced(value)
	count(names) > 0
	result := {
		"msg": sprintf("%s uses the long-lived cloud credential %s: assume a role through OIDC instead", [where, concat(", ", sort([sprintf("secrets.%s", [n]) | some n in names]))]),
		"path": path,
	}
}

# A static key handed to a cloud login action as a literal or another secret's value.
deny contains result if {
	some id, job in jobs
	some i, step in lib.steps(job)
	is_string(step.uses)
	inputs := static_inputs[lib.action_name(step.uses)]
	some key, value in object.get(step, "with", {})
	key in inputs
	count(referenced(sprintf("%v", [value]))) == 0
	result := {
		"msg": sprintf("%s logs in to the cloud with the static credential input %q: use OIDC instead", [lib.step_label(id, i, step), key]),
		"path": ["jobs", id, "steps", i, "with", key],
	}
}

# OIDC without the id-token permission.
deny contains result if {
	some id, job in jobs
	some i, step in lib.steps(job)
	is_string(step.uses)
	inputs := oidc_inputs[lib.action_name(step.uses)]
	some key, _ in object.get(step, "with", {})
	key in inputs
	not lib.grants(lib.effective_permissions(workflow, job), "id-token", "write")
	result := {
		"msg": sprintf("job %s assumes a cloud role through OIDC (%s) but its token lacks `id-token: write`", [id, key]),
		"path": permissions_path(id, job),
	}
}

permissions_path(id, job) := ["jobs", id, "permissions"] if "permissions" in object.keys(job)

permissions_path(id, job) := ["permissions"] if {
	not "permissions" in object.keys(job)
	"permissions" in object.keys(workflow)
}

permissions_path(id, job) := ["jobs", id] if {
	not "permissions" in object.keys(job)
	not "permissions" in object.keys(workflow)
}
