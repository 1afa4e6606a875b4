# METADATA
# title: COPY, not ADD, for local files
# description: >-
#   ADD does more than copy: it unpacks local tar archives and fetches URLs. For a plain local
#   file or directory it does the same as COPY, but a reader (and a reviewer) has to check that
#   none of its magic applies, and a file later replaced by an archive is silently extracted.
#   Reported when every source of an ADD is a local path that is not a tar archive (`.tar`,
#   `.tar.gz`, `.tgz`, `.tar.xz`, …) and not a URL; sources with variables or wildcards are not
#   judged, since what they name is only known at build time.
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#add-or-copy
#   - https://docs.docker.com/reference/dockerfile/#copy
#   - https://github.com/hadolint/hadolint/wiki/DL3020
#   - https://avd.aquasec.com/misconfig/docker/general/avd-ds-0005/
# custom:
#   id: CTR-008
#   severity: low
#   kinds: [dockerfile]
#   remediation: Replace `ADD` with `COPY` (flags such as `--chown`, `--chmod` and `--link` work the same).
package ward.container.add_instead_of_copy

import rego.v1

import data.lib.container

archive := `(?i)\.(tar|tar\.(gz|bz2|xz|zst|lz|lzma|z)|tgz|tbz|tbz2|txz|tzst|tlz)$`

deny contains result if {
	some s, stage in container.stages
	some j, instruction in stage.instructions
	instruction.cmd == "add"
	sources := container.sources(instruction)
	count(sources) > 0
	every pair in sources {
		plain_local(pair[1])
	}
	result := {
		"msg": sprintf("ADD %s copies a local file: use COPY", [concat(" ", [pair[1] | some pair in sources])]),
		"path": ["stages", s, "instructions", j, "cmd"],
	}
}

# Heredoc bodies (`ADD <<EOF /etc/motd`) are written like COPY does too.
deny contains result if {
	some s, stage in container.stages
	some j, instruction in stage.instructions
	instruction.cmd == "add"
	count(instruction.heredocs) > 0
	count(container.sources(instruction)) == 0
	result := {
		"msg": "ADD writes a heredoc: use COPY",
		"path": ["stages", s, "instructions", j, "cmd"],
	}
}

plain_local(source) if {
	not container.remote_source(source)
	not contains(source, "$")
	not regex.match(`[*?\[]`, source)
	not regex.match(archive, source)
	not regex.match(`(?i)\.git(#.*)?$`, source)
}
