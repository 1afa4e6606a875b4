# METADATA
# title: ADD does not fetch remote URLs without a checksum
# description: >-
#   `ADD https://…` downloads at build time and puts whatever the server returned into the
#   image, unverified: a compromised release page, a moved tag or an intercepted connection
#   changes the image without any change to the Dockerfile, and builds are not reproducible.
#   `ADD git@…`/`ADD https://….git` clones a ref that can move. BuildKit's `ADD --checksum=`
#   verifies the download (or, for git, the commit), and is accepted.
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#add---checksum
#   - https://docs.docker.com/build/building/best-practices/#add-or-copy
#   - https://github.com/hadolint/hadolint/wiki/DL3020
#   - https://avd.aquasec.com/misconfig/docker/general/avd-ds-0005/
# custom:
#   id: CTR-007
#   severity: medium
#   kinds: [dockerfile]
#   remediation: >-
#     Add the expected digest: `ADD --checksum=sha256:<hex> https://…/tini /usr/local/bin/tini`
#     (Dockerfile syntax 1.6+), or download with curl in a RUN and check it with `sha256sum -c`;
#     better still, install the tool from a pinned package.
package ward.container.add_remote_url

import rego.v1

import data.lib.container

deny contains result if {
	some s, stage in container.stages
	some j, instruction in stage.instructions
	instruction.cmd == "add"
	not container.has_flag(instruction, "checksum")
	some pair in container.sources(instruction)
	[k, source] := pair
	container.remote_source(source)
	result := {
		"msg": sprintf("ADD fetches %s without --checksum", [regex.replace(source, `//[^/@]*@`, "//")]),
		"path": ["stages", s, "instructions", j, "args", k],
	}
}
