# METADATA
# title: Deploy workflows serialise their deploys with concurrency
# description: >-
#   Two runs of a deploy workflow (two quick merges, a re-run next to a new push) deploy at the
#   same time and can finish in the wrong order: the older commit wins, or two `terraform apply`
#   / `helm upgrade` runs race for the same state and lock. A `concurrency` group at workflow
#   level, or on every deploy job, makes GitHub queue them. Deploy jobs are recognised as in
#   CI-004 (`deploy_job_words`, `deploy_actions`, `deploy_commands`). Prefer
#   `cancel-in-progress: false` for deploys: cancelling a deploy half-way leaves a
#   half-applied release.
# related_resources:
#   - https://docs.github.com/en/actions/writing-workflows/choosing-what-your-workflow-does/control-the-concurrency-of-workflows-and-jobs
#   - https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#concurrency
# custom:
#   id: CI-006
#   severity: medium
#   kinds: [github-workflow]
#   remediation: >-
#     Add `concurrency: {group: deploy-production, cancel-in-progress: false}` at the top of the
#     workflow, or on each deploy job (a group per environment, e.g.
#     `group: deploy-${{ inputs.environment }}`).
package ward.ci_pipeline.deploy_concurrency

import rego.v1

import data.ward.ci_pipeline.lib

deny contains result if {
	not input.object.concurrency
	some id, job in lib.jobs(input.object)
	lib.deploy_job(id, job, input.params)
	not job.concurrency
	result := {
		"msg": sprintf("job %s deploys, but neither it nor the workflow sets `concurrency`: two runs can deploy at once", [id]),
		"path": ["jobs", id],
	}
}
