# METADATA
# title: Release workflows produce an SBOM and sign what they publish
# description: >-
#   What a release publishes (images, packages, binaries) is what users and production run.
#   Without an SBOM nobody can answer "are we affected?" when the next log4shell lands; without
#   a signature or provenance attestation nobody can tell the artifact from one pushed with a
#   stolen token (SLSA build level 2+). A workflow is a release workflow when it is triggered
#   by `release` or by pushed tags (`on.push.tags`), or has a job whose id or name contains a
#   word of `release_job_words` (release, publish) and that publishes something
#   (`publish_actions` such as docker/build-push-action or softprops/action-gh-release,
#   `publish_commands` such as `docker push`, `npm publish`, `twine upload`, `gh release
#   create`). It must have a step that makes an SBOM
#   (`sbom_actions` such as anchore/sbom-action, `sbom_commands` such as syft or cyclonedx, or
#   docker/build-push-action with `sbom: true`) and one that signs or attests
#   (`signing_actions` such as sigstore/cosign-installer, actions/attest-build-provenance,
#   slsa-framework/slsa-github-generator, or `signing_commands` such as `cosign sign`).
# related_resources:
#   - https://slsa.dev/spec/v1.0/levels
#   - https://docs.github.com/en/actions/security-for-github-actions/using-artifact-attestations/using-artifact-attestations-to-establish-provenance-for-builds
#   - https://docs.sigstore.dev/cosign/signing/signing_with_containers/
#   - https://github.com/anchore/sbom-action
#   - https://www.cisa.gov/sbom
# custom:
#   id: CI-008
#   severity: medium
#   kinds: [github-workflow]
#   remediation: >-
#     Add an SBOM step (`anchore/sbom-action` on the image or the source tree, or
#     `docker/build-push-action` with `sbom: true`) and a signing step (`cosign sign` keyless with
#     `id-token: write` after `sigstore/cosign-installer`, or `actions/attest-build-provenance`),
#     and publish both with the release.
package ward.ci_pipeline.release_sbom_signing

import rego.v1

import data.ward.ci_pipeline.lib

workflow := input.object

jobs := lib.jobs(workflow)

all_steps := [step | some _, job in jobs; some step in lib.steps(job)]

all_uses := [uses | some _, job in jobs; uses := job.uses; is_string(uses)]

release_trigger if "release" in lib.triggers(workflow)

release_trigger if {
	is_object(workflow.on)
	is_object(workflow.on.push)
	workflow.on.push.tags
}

# A job named for releasing or publishing that does publish something.
release_jobs := sort([id |
	some id, job in jobs
	named_release(id, job)
	publishes(job)
])

named_release(id, job) if {
	some name in lib.job_names(id, job)
	lib.has_word(name, input.params.release_job_words)
}

publishes(job) if {
	some step in lib.steps(job)
	lib.uses_action(step, input.params.publish_actions)
}

publishes(job) if {
	some step in lib.steps(job)
	lib.runs_command(step, input.params.publish_commands)
}

# Where a finding about the whole workflow goes: the trigger, else the first release job.
anchor := ["on"] if release_trigger

anchor := ["jobs", release_jobs[0]] if {
	not release_trigger
	count(release_jobs) > 0
}

release_workflow if release_trigger

release_workflow if count(release_jobs) > 0

makes_sbom if {
	some step in all_steps
	lib.uses_action(step, input.params.sbom_actions)
}

makes_sbom if {
	some step in all_steps
	lib.runs_command(step, input.params.sbom_commands)
}

makes_sbom if {
	some step in all_steps
	lib.uses_action(step, ["docker/build-push-action"])
	object.get(step, ["with", "sbom"], false) in {true, "true"}
}

signs if {
	some step in all_steps
	lib.uses_action(step, input.params.signing_actions)
}

signs if {
	some step in all_steps
	lib.runs_command(step, input.params.signing_commands)
}

# The SLSA generators are reusable workflows, called from a job.
signs if {
	some uses in all_uses
	some prefix in input.params.signing_actions
	startswith(lib.action_name(uses), lower(prefix))
}

deny contains result if {
	release_workflow
	not makes_sbom
	result := {"msg": "release workflow publishes without generating an SBOM (syft, cyclonedx, sbom-action)", "path": anchor}
}

deny contains result if {
	release_workflow
	not signs
	result := {
		"msg": "release workflow publishes without signing or attesting its artifacts (cosign, attest-build-provenance, slsa-github-generator)",
		"path": anchor,
	}
}
