# METADATA
# title: Build tools stay in build stages
# description: >-
#   Compilers, make, git and their kin are needed to build software, not to run it. Installed
#   in the final image they add hundreds of megabytes and a stream of vulnerability reports,
#   and they hand an attacker who gets a shell in the container the means to build and fetch
#   exploits. Build in an earlier stage of a multi-stage build and copy only the artefacts into
#   the final stage. Reported at each install (apt-get, apk, yum/dnf/microdnf, zypper, pacman)
#   of the packages in the param `build_tools` in the stages the final image is made of (the
#   final stage and the stages it builds FROM), unless the same RUN removes them again
#   (`apt-get purge`, `apk del` of the package or of the `--virtual` group it was added with).
# related_resources:
#   - https://docs.docker.com/build/building/multi-stage/
#   - https://docs.docker.com/build/building/best-practices/#use-multi-stage-builds
#   - https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html
# custom:
#   id: CTR-016
#   severity: medium
#   kinds: [dockerfile]
#   remediation: >-
#     Move the build into a stage of its own (`FROM python:3.12-slim AS build`, install gcc there,
#     build wheels or binaries), and `COPY --from=build` only the result into a final stage that
#     installs runtime libraries only.
package ward.container.build_tools_final_stage

import rego.v1

import data.lib.container

os_managers := {"apt", "apk", "yum", "dnf", "microdnf", "tdnf", "zypper", "pacman"}

build_tools := {lower(tool) | some tool in input.params.build_tools}

deny contains result if {
	some run in container.final_runs
	some k, command in run.instruction.commands
	operation := command.package
	operation.manager in os_managers
	operation.operation == "install"
	tools := [name |
		some pkg in operation.packages
		name := lower(pkg.name)
		name in build_tools
		not removed(run, operation, name)
	]
	count(tools) > 0
	result := {
		"msg": sprintf("the final image installs build tools: %s", [concat(", ", tools)]),
		"path": container.command_path(run, k),
	}
}

removed(run, _, name) if {
	some command in run.instruction.commands
	command.package.operation == "remove"
	some pkg in command.package.packages
	lower(pkg.name) == name
}

# apk add --virtual .build-deps gcc … && apk del .build-deps
removed(run, install, _) if {
	install.manager == "apk"
	group := container.option_value(install, {"-t", "--virtual"})
	some command in run.instruction.commands
	command.package.manager == "apk"
	command.package.operation == "remove"
	some pkg in command.package.packages
	pkg.name == group
}
