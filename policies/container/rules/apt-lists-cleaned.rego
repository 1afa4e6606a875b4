# METADATA
# title: apt caches are removed in the RUN that installs
# description: >-
#   `apt-get update` downloads the package index to /var/lib/apt/lists (tens of megabytes). A
#   RUN that installs or upgrades packages and does not remove the lists in the same RUN
#   commits them to the image for good: deleting them in a later RUN only hides them. Judged in
#   the stages the final image is made of; a BuildKit cache mount on /var/lib/apt keeps the
#   lists out of the layer and is accepted.
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#apt-get
#   - https://github.com/hadolint/hadolint/wiki/DL3009
#   - https://docs.docker.com/build/cache/optimize/#use-cache-mounts
# custom:
#   id: CTR-011
#   severity: low
#   kinds: [dockerfile]
#   remediation: >-
#     End the RUN with `&& rm -rf /var/lib/apt/lists/*`, or cache the lists outside the layer:
#     `RUN --mount=type=cache,target=/var/lib/apt,sharing=locked --mount=type=cache,target=/var/cache/apt,sharing=locked apt-get update && apt-get install …`.
package ward.container.apt_lists_cleaned

import rego.v1

import data.lib.container

deny contains result if {
	some run in container.final_runs
	some inv in container.invocations(run.text)
	inv.manager == "apt"
	inv.subcommand in {"install", "upgrade", "dist-upgrade", "full-upgrade"}
	not regex.match(`(^|[\s;&|(])rm\s[^;&|\n]*/var/lib/apt/lists`, run.text)
	not container.caches(run.instruction, "/var/lib/apt/lists")
	result := {
		"msg": "apt-get leaves /var/lib/apt/lists in the layer: remove it in the same RUN",
		"path": container.run_path(run),
	}
}
