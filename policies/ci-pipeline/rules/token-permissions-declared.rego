# METADATA
# title: Workflows declare least-privilege GITHUB_TOKEN permissions
# description: >-
#   Without a `permissions:` block the GITHUB_TOKEN gets the repository's default, which for
#   many organisations and every repository created before February 2023 is read and write on
#   contents, packages, issues, pull requests, deployments and more: any step, or any action a
#   compromised dependency injects, can push code or publish packages. Declare permissions at
#   the top of the workflow (`permissions: {contents: read}`) or on every job. The rule reports a
#   workflow where neither is done, each job left without permissions when other jobs declare
#   theirs, and, as a `low` warning, write scopes granted at workflow level, where every job
#   inherits them, instead of on the job that needs them.
# related_resources:
#   - https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/controlling-permissions-for-github_token
#   - https://github.com/ossf/scorecard/blob/main/docs/checks.md#token-permissions
#   - https://owasp.org/www-project-top-10-ci-cd-security-risks/CICD-SEC-05-Insufficient-PBAC
# custom:
#   id: CI-002
#   severity: medium
#   kinds: [github-workflow]
#   remediation: >-
#     Add `permissions: {contents: read}` (or `permissions: {}`) at the top of the workflow and
#     grant each write scope only on the job that needs it (`permissions: {contents: read,
#     packages: write}` on the publishing job).
package ward.ci_pipeline.token_permissions_declared

import rego.v1

import data.ward.ci_pipeline.lib

workflow := input.object

jobs := lib.jobs(workflow)

declares(job) if "permissions" in object.keys(job)

without := sort([id | some id, job in jobs; not declares(job)])

with_permissions := [id | some id, job in jobs; declares(job)]

deny contains result if {
	not "permissions" in object.keys(workflow)
	count(jobs) > 0
	count(with_permissions) == 0
	result := {
		"msg": sprintf("no `permissions:` at the top of the workflow nor on any job (%s): the GITHUB_TOKEN gets the repository default", [concat(", ", without)]),
		"path": [],
	}
}

deny contains result if {
	not "permissions" in object.keys(workflow)
	count(with_permissions) > 0
	some id in without
	result := {
		"msg": sprintf("job %s sets no `permissions:` and the workflow sets none: its GITHUB_TOKEN gets the repository default", [id]),
		"path": ["jobs", id],
	}
}

warn contains result if {
	is_object(workflow.permissions)
	writes := sort([scope | some scope, level in workflow.permissions; level == "write"])
	count(writes) > 0
	result := {
		"msg": sprintf("workflow-level permissions grant write on %s to every job: grant it on the jobs that need it", [concat(", ", writes)]),
		"path": ["permissions"],
	}
}
