# METADATA
# title: No sudo in the image
# description: >-
#   RUN instructions already run as the stage's USER: `sudo` in a RUN is either useless (the
#   user is root) or a sign that the image gives a non-root user a way back to root. sudo also
#   has unpredictable TTY and signal behaviour that breaks builds and containers. Installing
#   the `sudo` package into the final image hands a non-root USER (and an attacker who gets its
#   shell) a privilege escalation path. Reported: every RUN that calls sudo, and every install
#   of the sudo package in the stages the final image is made of.
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
	some command in container.commands(run.text)
	words := container.words(command)
	some i, word in words
	word == "sudo"
	only_assignments(array.slice(words, 0, i))
	result := {
		"msg": "RUN calls sudo",
		"path": container.run_path(run),
	}
}

deny contains result if {
	some run in container.final_runs
	some inv in container.installs(run.text)
	some word in inv.packages
	container.package_name(word) == "sudo"
	result := {
		"msg": "the final image installs the sudo package",
		# The RUN keyword, not its command text: a RUN that also calls sudo is a second finding.
		"path": ["stages", run.stage, "instructions", run.index, "cmd"],
	}
}

# Words before the command itself: `VAR=value` assignments, `exec`, `env`, control keywords.
only_assignments(words) if {
	every word in words {
		prefix_word(word)
	}
}

prefix_word(word) if regex.match(`^[A-Za-z_][A-Za-z0-9_]*=`, word)

prefix_word(word) if word in {"exec", "env", "then", "do", "else", "!", "time", "command"}
