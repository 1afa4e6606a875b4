# METADATA
# title: Production deploy jobs run in a GitHub environment
# description: >-
#   A job that deploys without `environment:` bypasses everything GitHub environments enforce:
#   required reviewers, wait timers, the branches allowed to deploy, environment-scoped secrets
#   and the deployment history that tells you what runs in production and how to roll back.
#   A job deploys when its id or name contains a word of `deploy_job_words`, a step uses one of
#   `deploy_actions`, or a script runs one of `deploy_commands` (kubectl apply, helm upgrade,
#   terraform apply, aws ecs update-service, …). Such a job is reported unless everything it
#   says about itself (id, name, step names, `with:` and `env:` values, scripts) names only
#   non-production environments (`non_production_words`: staging, dev, preview, …) and never a
#   production one (`production_words`): a deploy job that names no environment at all is taken
#   to deploy to production. Jobs that call a reusable workflow (`uses:`) are skipped: the
#   called workflow's jobs carry the environment.
# related_resources:
#   - https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/managing-environments-for-deployment
#   - https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#jobsjob_idenvironment
#   - https://owasp.org/www-project-top-10-ci-cd-security-risks/CICD-SEC-01-Insufficient-Flow-Control-Mechanisms
# custom:
#   id: CI-004
#   severity: high
#   kinds: [github-workflow]
#   remediation: >-
#     Add `environment: production` (or `environment: {name: production, url: …}`) to the deploy
#     job, and configure required reviewers and deployment branches for that environment in the
#     repository settings.
package ward.ci_pipeline.deploy_environment

import rego.v1

import data.ward.ci_pipeline.lib

deny contains result if {
	some id, job in lib.jobs(input.object)
	not is_string(job.uses)
	lib.deploy_job(id, job, input.params)
	not job.environment
	not lib.non_production_job(id, job, input.params)
	result := {
		"msg": sprintf("job %s deploys without `environment:`, so no approval or branch rule applies", [id]),
		"path": ["jobs", id],
	}
}
