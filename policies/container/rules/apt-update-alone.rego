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

users := {
	"apt": {"install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "reinstall"},
	"apk": {"add", "upgrade", "fix"},
}

deny contains result if {
	some run in container.runs
	invocations := container.invocations(run.text)
	some inv in invocations
	inv.subcommand == "update"
	some manager, subcommands in users
	inv.manager == manager
	not used(invocations, manager, subcommands)
	result := {
		"msg": sprintf("`%s update` runs in a RUN of its own: the install that relies on it gets a stale cached index", [binary(manager)]),
		"path": container.run_path(run),
	}
}

used(invocations, manager, subcommands) if {
	some inv in invocations
	inv.manager == manager
	inv.subcommand in subcommands
}

binary("apt") := "apt-get"

binary("apk") := "apk"
