# METADATA
# title: No sudo in the image
# description: >-
#   RUN instructions already run as the stage's USER: `sudo` in a RUN is either useless (the
#   user is root) or a sign that the image gives a non-root user a way back to root. sudo also
#   has unpredictable TTY and signal behaviour that breaks builds and containers. Installing
#   the `sudo` package into the final image hands a non-root USER (and an attacker who gets its
#   shell) a privilege escalation path. Reported: every RUN that runs a command through sudo
#   (also inside `sh -c` scripts and heredocs), at the first such command, and every install of
#   the sudo package in the stages the final image is made of.
# related_resources:
#   - https://github.com/hadolint/hadolint/wiki/DL3004
#   - https://docs.docker.com/build/building/best-practices/#user
#   - https://avd.aquasec.com/misconfig/docker/general/avd-ds-0010/
# custom:
#   id: CTR-015
#   severity: medium
#   kinds: [dockerfile]
#   remediation: >-
#     Run the step that needs root before the `USER` instruction (switch with `USER root` and
#     back if needed), and do not install sudo; if something must run as another user at
#     runtime, use `gosu` or `setpriv` from an entrypoint that starts as root and drops
#     privileges.
package ward.container.sudo

import rego.v1

import data.lib.container

deny contains result if {
	some run in container.runs
	calls := [k | some k, command in run.instruction.commands; calls_sudo(command)]
	count(calls) > 0
	result := {
		"msg": "RUN calls sudo",
		"path": container.command_path(run, calls[0]),
	}
}

deny contains result if {
	some run in container.final_runs
	some k, command in run.instruction.commands
	command.package.operation == "install"
	some p, pkg in command.package.packages
	lower(pkg.name) == "sudo"
	result := {
		"msg": "the final image installs the sudo package",
		"path": array.concat(container.command_path(run, k), ["package", "packages", p]),
	}
}

calls_sudo(command) if "sudo" in command.wrappers

# `sudo` with nothing to run (`sudo -v`).
calls_sudo(command) if command.program == "sudo"
