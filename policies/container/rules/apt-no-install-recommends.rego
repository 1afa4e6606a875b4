# METADATA
# title: apt-get install uses --no-install-recommends
# description: >-
#   By default apt installs every package's "recommended" packages too: often tens or hundreds of
#   megabytes of documentation tools, compilers, X11 libraries and daemons that the service
#   never uses, but which ship in the image, widen its attack surface and fill vulnerability
#   reports. Judged in the stages the final image is made of (the final stage and the stages it
#   builds FROM); `-o APT::Install-Recommends=false` counts as the flag.
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#apt-get
#   - https://github.com/hadolint/hadolint/wiki/DL3015
#   - https://avd.aquasec.com/misconfig/docker/general/avd-ds-0029/
# custom:
#   id: CTR-010
#   severity: low
#   kinds: [dockerfile]
#   remediation: '`apt-get install -y --no-install-recommends <packages>`, adding explicitly the few recommended packages that are needed.'
package ward.container.apt_no_install_recommends

import rego.v1

import data.lib.container

deny contains result if {
	some run in container.final_runs
	some k, command in run.instruction.commands
	operation := command.package
	operation.manager == "apt"
	operation.operation == "install"
	not container.has_option(operation, "--no-install-recommends")
	not recommends_off(operation)
	result := {
		"msg": sprintf("%s install without --no-install-recommends pulls recommended packages into the image", [command.program]),
		"path": container.command_path(run, k),
	}
}

recommends_off(operation) if {
	value := container.option_value(operation, {"-o", "--option"})
	regex.match(`(?i)^APT::Install-Recommends=["']?(false|0|no|off)`, value)
}
