# METADATA
# title: No piping downloads into a shell
# description: >-
#   `curl … | sh`, `wget -O- … | bash`, `sh -c "$(curl …)"` and `bash <(curl …)` run whatever
#   the server returns at build time, unread and unverified: a compromised or hijacked download
#   site, a DNS or TLS interception, or a silent change of the script goes straight into the
#   image with root privileges, and the build is not reproducible. A truncated download can
#   also run half a script. Checked in every RUN, including exec form and heredocs.
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#using-pipes
#   - https://github.com/hadolint/hadolint/wiki/DL4006
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

shell := `(\S*/)?(ba|z|da|k|a)?sh`

downloader := `(curl|wget)`

patterns := [
	# curl … | sh, wget -qO- … | sudo bash -s --
	concat("", [`(^|[^A-Za-z0-9_-])`, downloader, `\s[^|;&\n]*\|\s*(sudo\s+(-\S+\s+)*)?((\S*/)?env\s+)?`, shell, `($|[\s;&|)])`]),
	# sh -c "$(curl …)", bash -c `wget -O- …`, eval "$(curl …)"
	concat("", [`(^|[\s;&|(])(`, shell, `\s+-c|eval)\s+["']?(\$\(|`, "`", `)\s*`, downloader, `\s`]),
	# bash <(curl …), source <(wget …), . <(curl …)
	concat("", [`(^|[\s;&|(])(`, shell, `|source|\.)\s+<\(\s*`, downloader, `\s`]),
]

deny contains result if {
	some run in container.runs
	some pattern in patterns
	regex.match(pattern, run.text)
	result := {
		"msg": "RUN pipes a download straight into a shell, running unverified code",
		"path": container.run_path(run),
	}
}
