# METADATA
# title: pull_request_target and workflow_run workflows do not check out the pull request's code
# description: >-
#   `pull_request_target` (and `workflow_run` after a fork's workflow) runs in the context of
#   the base repository: with a read/write GITHUB_TOKEN and access to the repository's secrets,
#   even for a pull request from a fork. Checking out the pull request's head
#   (`ref: ${{ github.event.pull_request.head.sha }}`, `head.ref`, `github.head_ref`, the merge
#   commit, `refs/pull/N/merge`, or the fork's repository) and then building, testing or
#   installing it runs the attacker's code — a "pwn request" — with those privileges. The rule
#   reports such a checkout in an `actions/checkout` step (`ref:` or `repository:`) and in
#   scripts (`git fetch`/`git checkout`/`gh pr checkout` of the head).
# related_resources:
#   - https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/
#   - https://docs.github.com/en/actions/writing-workflows/choosing-when-your-workflow-runs/events-that-trigger-workflows#pull_request_target
#   - https://owasp.org/www-project-top-10-ci-cd-security-risks/CICD-SEC-04-Poisoned-Pipeline-Execution
# custom:
#   id: CI-009
#   severity: critical
#   kinds: [github-workflow]
#   remediation: >-
#     Run untrusted pull-request code under `pull_request` (no secrets, read-only token) instead;
#     if results need privileges (labels, comments), upload them as an artifact and act on them
#     in a separate `workflow_run` workflow that never executes the pull request's code.
package ward.ci_pipeline.pull_request_target_checkout

import rego.v1

import data.ward.ci_pipeline.lib

workflow := input.object

privileged := lib.triggers(workflow) & {"pull_request_target", "workflow_run"}

# Expressions that name the pull request's (or the triggering run's) code.
head_patterns := [
	`github\.event\.pull_request\.head\.(sha|ref|repo\.full_name|repo\.clone_url)`,
	`github\.event\.pull_request\.merge_commit_sha`,
	`github\.head_ref`,
	`github\.event\.workflow_run\.(head_sha|head_branch|head_repository\.full_name)`,
	`refs/pull/`,
]

names_head(value) if {
	is_string(value)
	some pattern in head_patterns
	regex.match(pattern, value)
}

deny contains result if {
	count(privileged) > 0
	some id, job in lib.jobs(workflow)
	some i, step in lib.steps(job)
	lib.uses_action(step, ["actions/checkout"])
	some key in ["ref", "repository"]
	value := object.get(step, ["with", key], null)
	names_head(value)
	result := {
		"msg": sprintf("%s checks out the pull request's code in a %s workflow, which has secrets and a write token", [lib.step_label(id, i, step), concat("/", sort(privileged))]),
		"path": ["jobs", id, "steps", i, "with", key],
	}
}

deny contains result if {
	count(privileged) > 0
	some id, job in lib.jobs(workflow)
	some i, step in lib.steps(job)
	is_string(step.run)
	regex.match(`(git\s+(fetch|checkout|switch|pull)|gh\s+pr\s+checkout)`, step.run)
	names_head_or_pr_checkout(step.run)
	result := {
		"msg": sprintf("%s fetches the pull request's code in a %s workflow, which has secrets and a write token", [lib.step_label(id, i, step), concat("/", sort(privileged))]),
		"path": ["jobs", id, "steps", i, "run"],
	}
}

names_head_or_pr_checkout(run) if names_head(run)

names_head_or_pr_checkout(run) if regex.match(`gh\s+pr\s+checkout`, run)
