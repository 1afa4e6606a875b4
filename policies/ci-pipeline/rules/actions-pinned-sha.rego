# METADATA
# title: Actions are pinned to a full commit SHA
# description: >-
#   A tag or branch of a GitHub Action (`owner/repo@v4`, `@main`) is a pointer its owner, or
#   whoever compromises the owner, can move: the next run executes different code with the
#   workflow's token and secrets, as happened with tj-actions/changed-files in March 2025. Only
#   a full 40-character commit SHA is immutable. Every step `uses:` and every reusable-workflow
#   job `uses:` is checked. Local actions (`./…`) are fine, and so are `docker://` images pinned
#   by `@sha256:` digest. Actions of the owners in the `trusted_owners` param (default `actions`
#   and `github`) may use a version tag: those are reported as `low` warnings while
#   `warn_trusted_tags` is true; a branch ref (`@main`, anything that is not a version) is
#   reported for every owner. Actions that must be called by a version tag
#   (`tag_required_actions`, default the SLSA generators, whose provenance names the tag) may
#   use one.
# related_resources:
#   - https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions
#   - https://github.com/ossf/scorecard/blob/main/docs/checks.md#pinned-dependencies
#   - https://www.stepsecurity.io/blog/harden-runner-detection-tj-actions-changed-files-action-is-compromised
# custom:
#   id: CI-001
#   severity: high
#   kinds: [github-workflow]
#   remediation: >-
#     Replace the ref with the full commit SHA it points to and keep the version in a comment
#     (`uses: owner/repo@8f4b7f84864484a7bf31766abe9204da3cbe65b3 # v4.1.0`); let Dependabot or
#     Renovate update the pins. Pin `docker://` images by digest.
package ward.ci_pipeline.actions_pinned_sha

import rego.v1

import data.ward.ci_pipeline.lib

# Every `uses:` of the workflow: [path, reference, label].
references contains [["jobs", id, "steps", i, "uses"], step.uses, label] if {
	some id, job in lib.jobs(input.object)
	some i, step in lib.steps(job)
	is_string(step.uses)
	label := lib.step_label(id, i, step)
}

references contains [["jobs", id, "uses"], job.uses, sprintf("job %s", [id])] if {
	some id, job in lib.jobs(input.object)
	is_string(job.uses)
}

trusted_owners := {lower(owner) | some owner in object.get(input.params, "trusted_owners", [])}

local(reference) if startswith(reference, "./")

ref_of(reference) := ref if {
	parts := split(reference, "@")
	count(parts) > 1
	ref := parts[count(parts) - 1]
}

# Action references (neither local nor `docker://`), each classified once: its ref, owner,
# whether the ref is a full commit SHA or a version tag, and whether the owner is trusted.
actions contains {
	"path": path, "reference": reference, "label": label, "ref": ref,
	"sha": regex.match(`^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$`, ref),
	"tag": regex.match(`^v?[0-9]+(\.[0-9]+)*([-+.][0-9A-Za-z.-]+)?$`, ref),
	"trusted": lower(split(reference, "/")[0]) in trusted_owners,
} if {
	some [path, reference, label] in references
	not local(reference)
	not startswith(reference, "docker://")
	ref := ref_of(reference)
}

# The SLSA generators must be called by `@vX.Y.Z`: their provenance records the tag.
tag_required(action) if {
	action.tag
	some prefix in object.get(input.params, "tag_required_actions", [])
	startswith(lib.action_name(action.reference), lower(prefix))
}

deny contains result if {
	some [path, reference, label] in references
	startswith(reference, "docker://")
	not contains(reference, "@sha256:")
	result := {
		"msg": sprintf("%s runs the container %s, which is not pinned by digest", [label, reference]),
		"path": path,
	}
}

# A third-party action on a tag or branch.
deny contains result if {
	some action in actions
	not action.sha
	not action.trusted
	not tag_required(action)
	result := {
		"msg": sprintf("%s uses %s, pinned to %q rather than a full commit SHA", [action.label, action.reference, action.ref]),
		"path": action.path,
	}
}

# Even a trusted owner's action on a branch runs whatever is pushed to it next.
deny contains result if {
	some action in actions
	not action.sha
	action.trusted
	not action.tag
	result := {
		"msg": sprintf("%s uses %s, pinned to the branch %q: pin it to a full commit SHA", [action.label, action.reference, action.ref]),
		"path": action.path,
	}
}

warn contains result if {
	object.get(input.params, "warn_trusted_tags", true) == true
	some action in actions
	not action.sha
	action.trusted
	action.tag
	result := {
		"msg": sprintf("%s uses %s by its tag %q (a trusted owner): a full commit SHA cannot be moved", [action.label, action.reference, action.ref]),
		"path": action.path,
	}
}
