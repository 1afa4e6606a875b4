# METADATA
# title: No SSH port exposed
# description: >-
#   `EXPOSE 22` means an SSH daemon in the container: a second way in with its own credentials
#   and keys to manage and leak, another process that is not the service, and an invitation to
#   patch containers by hand instead of rebuilding them. Use `docker exec` / `kubectl exec` to
#   get a shell. Ports in the param `forbidden_ports` (default 22) are reported in the stages
#   the final image is made of, also inside ranges (`EXPOSE 20-30`) and with a protocol
#   (`22/tcp`).
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#expose
#   - https://www.cisecurity.org/benchmark/docker
#   - https://github.com/hadolint/hadolint/wiki/DL3011
#   - https://avd.aquasec.com/misconfig/docker/general/avd-ds-0004/
# custom:
#   id: CTR-018
#   severity: medium
#   kinds: [dockerfile]
#   remediation: Remove the SSH server and the `EXPOSE 22`; use `docker exec` or `kubectl exec` (or an ephemeral debug container) to get a shell.
package ward.container.expose_ssh

import rego.v1

import data.lib.container

deny contains result if {
	some s in container.final_chain
	some j, instruction in container.stages[s].instructions
	instruction.cmd == "expose"
	some k, arg in instruction.args
	some port in input.params.forbidden_ports
	exposes(arg, port)
	result := {
		"msg": sprintf("EXPOSE %s opens port %d%s", [arg, port, service(port)]),
		"path": ["stages", s, "instructions", j, "args", k],
	}
}

exposes(arg, port) if {
	spec := split(arg, "/")[0]
	regex.match(`^[0-9]+$`, spec)
	to_number(spec) == port
}

exposes(arg, port) if {
	spec := split(arg, "/")[0]
	regex.match(`^[0-9]+-[0-9]+$`, spec)
	bounds := split(spec, "-")
	to_number(bounds[0]) <= port
	port <= to_number(bounds[1])
}

services := {22: " (SSH)", 23: " (telnet)", 3389: " (RDP)", 5900: " (VNC)"}

service(port) := object.get(services, port, "")
