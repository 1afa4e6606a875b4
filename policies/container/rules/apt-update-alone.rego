# METADATA
# title: Package index updates are not alone in their RUN
# description: >-
#   `RUN apt-get update` on its own line is cached as a layer: later changes to the
#   `apt-get install` line below it rebuild only that line, against the package index of the day
#   the update layer was first built. Installs then fail with 404s for packages that have since
#   been superseded, or silently get old versions, and the index files stay in the image. The
#   update has to run in the same RUN as the install (or upgrade) that uses it. The same holds
#   for `apk update`.
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#apt-get
#   - https://github.com/hadolint/hadolint/wiki/DL3009
#   - https://avd.aquasec.com/misconfig/docker/general/avd-ds-0017/
# custom:
#   id: CTR-009
#   severity: medium
#   kinds: [dockerfile]
#   remediation: >-
#     Merge the update into the RUN that installs:
#     `RUN apt-get update && apt-get install -y --no-install-recommends <pkgs> && rm -rf /var/lib/apt/lists/*`
#     (for Alpine, `apk add --no-cache <pkgs>` needs no update at all).
package ward.container.apt_update_alone

import rego.v1

import data.lib.container

# The operations that use the package index an update fetched.
users := {"install", "upgrade"}

deny contains result if {
	some run in container.runs
	some k, command in run.instruction.commands
	command.package.operation == "update"
	manager := command.package.manager
	manager in {"apt", "apk"}
	not used(run, manager)
	result := {
		"msg": sprintf("`%s update` runs in a RUN of its own: the install that relies on it gets a stale cached index", [command.program]),
		"path": container.command_path(run, k),
	}
}

used(run, manager) if {
	some command in run.instruction.commands
	command.package.manager == manager
	command.package.operation in users
}
