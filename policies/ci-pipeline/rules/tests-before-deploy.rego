# METADATA
# title: Deploy jobs run only after the tests pass
# description: >-
#   A deploy job that does not `needs:` a test job starts in parallel with the tests, or
#   without them: a commit that fails its tests is already rolling out when the failure is
#   reported. Every deploy job (recognised as in CI-004) must need a job that runs tests,
#   directly or through other jobs, or run the tests itself before deploying. A test job is one
#   whose id or name contains a word of `test_job_words` (test, e2e, ci, check, …) or whose
#   script runs one of `test_commands` (pytest, go test, npm test, mvn verify, …). Workflows
#   started by one of `upstream_triggers` (default `workflow_run`: a deploy workflow that runs
#   after the CI workflow) are not checked; check the `conclusion` of the run there.
# related_resources:
#   - https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idneeds
#   - https://owasp.org/www-project-top-10-ci-cd-security-risks/CICD-SEC-01-Insufficient-Flow-Control-Mechanisms
# custom:
#   id: CI-007
#   severity: medium
#   kinds: [github-workflow]
#   remediation: >-
#     Add the test job to the deploy job's `needs:` (`needs: [test, build]`), so the deploy runs
#     only when the tests succeed; in a separate deploy workflow, trigger it with `workflow_run`
#     on the CI workflow and `if: github.event.workflow_run.conclusion == 'success'`.
package ward.ci_pipeline.tests_before_deploy

import rego.v1

import data.ward.ci_pipeline.lib

workflow := input.object

jobs := lib.jobs(workflow)

upstream := {event | some event in object.get(input.params, "upstream_triggers", [])}

test_jobs := {id | some id, job in jobs; lib.test_job(id, job, input.params)}

closure := lib.needs_closure(jobs)

tested(id) if id in test_jobs

tested(id) if count(closure[id] & test_jobs) > 0

deny contains result if {
	count(lib.triggers(workflow) & upstream) == 0
	some id, job in jobs
	lib.deploy_job(id, job, input.params)
	not tested(id)
	result := {
		"msg": sprintf("job %s deploys without needing a test job: it can ship a commit whose tests fail", [id]),
		"path": needs_path(id, job),
	}
}

needs_path(id, job) := ["jobs", id, "needs"] if job.needs

needs_path(id, job) := ["jobs", id] if not job.needs
