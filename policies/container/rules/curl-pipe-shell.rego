# METADATA
# title: No piping downloads into a shell
# description: >-
#   `curl … | sh`, `wget -O- … | bash`, `sh -c "$(curl …)"` and `bash <(curl …)` run whatever
#   the server returns at build time, unread and unverified: a compromised or hijacked download
#   site, a DNS or TLS interception, or a silent change of the script goes straight into the
#   image with root privileges, and the build is not reproducible. A truncated download can
#   also run half a script. Checked in every RUN, including exec form, heredocs and `sh -c`
#   scripts, and through `sudo` and `tee` (`curl … | tee x.sh | sudo bash`).
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#using-pipes
#   - https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html
#   - https://slsa.dev/spec/v1.0/threats
# custom:
#   id: CTR-006
#   severity: high
#   kinds: [dockerfile]
#   remediation: >-
#     Download to a file, verify it against a published checksum or signature, then run it:
#     `curl -fsSLo install.sh https://… && echo "<sha256>  install.sh" | sha256sum -c - && sh install.sh`.
#     Better, install a pinned package, or `ADD --checksum=sha256:… https://…`.
package ward.container.curl_pipe_shell

import rego.v1

import data.lib.container

downloaders := {"curl", "wget"}

# What runs the text it reads as code: shells, and `eval`/`source`/`.` of a substitution.
runners := {"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "yash", "eval", "source", "."}

deny contains result if {
	some run in container.runs
	commands := run.instruction.commands
	some k, command in commands
	command.program in downloaders
	reader := commands[command.feeds]
	runs_code(commands, reader)
	result := {
		"msg": "RUN pipes a download straight into a shell, running unverified code",
		"path": container.command_path(run, k),
	}
}

runs_code(_, reader) if reader.program in runners

# `curl … | tee install.sh | sh`
runs_code(commands, reader) if {
	reader.program == "tee"
	commands[reader.feeds].program in runners
}
