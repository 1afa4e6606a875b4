# METADATA
# title: apt package lists are removed in the RUN that downloads them
# description: >-
#   `apt-get update` downloads the package index to /var/lib/apt/lists (tens of megabytes). A
#   RUN that runs it and does not remove the lists in the same RUN commits them to the image for
#   good: deleting them in a later RUN only hides them, and a RUN that installs without updating
#   adds no lists of its own (as hadolint's DL3009 reads it). Reported at the `apt-get update`
#   (or `apt update`) command, in the stages the final image is made of; removing
#   /var/lib/apt/lists (or a directory above it) in the same RUN, or a BuildKit cache mount on
#   /var/lib/apt, is accepted.
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
	some k, command in run.instruction.commands
	command.package.manager == "apt"
	command.package.operation == "update"
	not container.removes(run, "/var/lib/apt/lists/")
	not container.caches(run.instruction, "/var/lib/apt/lists")
	result := {
		"msg": sprintf("`%s update` leaves /var/lib/apt/lists in the layer: remove it in the same RUN", [command.program]),
		"path": container.command_path(run, k),
	}
}
