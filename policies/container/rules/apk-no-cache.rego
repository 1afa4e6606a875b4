# METADATA
# title: apk add uses --no-cache
# description: >-
#   Without `--no-cache`, `apk add` keeps the downloaded package index under /var/cache/apk in
#   the layer, and usually needs an `apk update` in front of it. `--no-cache` fetches the index
#   into a temporary location and leaves nothing behind. Judged in the stages the final image is
#   made of; a cache mount on /var/cache/apk, or removing /var/cache/apk in the same RUN, is
#   accepted.
# related_resources:
#   - https://github.com/hadolint/hadolint/wiki/DL3019
#   - https://wiki.alpinelinux.org/wiki/Local_APK_cache
#   - https://avd.aquasec.com/misconfig/docker/general/avd-ds-0025/
# custom:
#   id: CTR-012
#   severity: low
#   kinds: [dockerfile]
#   remediation: '`apk add --no-cache <packages>` (and drop the `apk update`).'
package ward.container.apk_no_cache

import rego.v1

import data.lib.container

deny contains result if {
	some run in container.final_runs
	some k, command in run.instruction.commands
	operation := command.package
	operation.manager == "apk"
	operation.operation == "install"
	not container.has_option(operation, "--no-cache")
	not cleaned(run)
	result := {
		"msg": "apk add without --no-cache leaves the package index in the layer",
		"path": container.command_path(run, k),
	}
}

cleaned(run) if container.removes(run, "/var/cache/apk/")

cleaned(run) if container.caches(run.instruction, "/var/cache/apk")

cleaned(run) if container.caches(run.instruction, "/etc/apk/cache")
