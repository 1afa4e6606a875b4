# METADATA
# title: Installed packages are pinned to versions
# description: >-
#   `apt-get install curl`, `apk add curl` or `pip install flask` install whatever version the
#   index offers on the day of the build. Two builds of one commit then differ, a rebuild for an
#   unrelated change can pull in a breaking or vulnerable release, and a rollback does not roll
#   the packages back. Checked in every stage, at each installing command, the way each manager
#   pins: apt (`pkg=version`), apk (`pkg=version`, `pkg~version`), yum/dnf/microdnf
#   (`pkg-version`), zypper (`pkg=version`, `pkg>=version`), pip (`pkg==version` or any version
#   specifier, a local path or archive, a VCS URL with `@revision`; `-r requirements.txt` is
#   judged by the requirements file, and `-c constraints.txt` pins what it lists), npm, yarn and
#   pnpm (`pkg@version`, not `@latest`; a git URL with `#ref`, a tarball, a folder), gem
#   (`gem:version`, `-v version`), `go install pkg@version` (not `@latest`). Local package files
#   are pinned. pacman cannot install a given version and is not judged. Arguments built from
#   variables, and the names in the param `unpinned_package_exceptions` (pip, setuptools,
#   wheel), are not judged.
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#apt-get
#   - https://github.com/hadolint/hadolint/wiki/DL3008
#   - https://github.com/hadolint/hadolint/wiki/DL3018
#   - https://github.com/hadolint/hadolint/wiki/DL3013
#   - https://github.com/hadolint/hadolint/wiki/DL3016
#   - https://github.com/hadolint/hadolint/wiki/DL3028
#   - https://github.com/hadolint/hadolint/wiki/DL3033
#   - https://pip.pypa.io/en/stable/topics/repeatable-installs/
# custom:
#   id: CTR-014
#   severity: low
#   kinds: [dockerfile]
#   remediation: >-
#     Pin each package: `apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8`,
#     `apk add --no-cache curl=8.9.1-r1`, `pip install --no-cache-dir flask==3.0.3` (or a
#     requirements file with hashes, `pip install --require-hashes -r requirements.txt`), and let
#     Renovate or Dependabot propose updates.
package ward.container.unpinned_packages

import rego.v1

import data.lib.container

exceptions := {lower(name) | some name in input.params.unpinned_package_exceptions}

deny contains result if {
	some run in container.runs
	some k, command in run.instruction.commands
	operation := command.package
	operation.operation == "install"
	# pacman installs what its repository has: no version can be asked for.
	operation.manager != "pacman"
	not constrained(operation)
	names := [pkg.name |
		some pkg in operation.packages
		not pkg.pinned
		not contains(pkg.name, "$")
		not lower(pkg.name) in exceptions
	]
	count(names) > 0
	result := {
		"msg": sprintf("`%s %s` installs packages without a version: %s", [tool(command), operation.subcommand, concat(", ", names)]),
		"path": container.command_path(run, k),
	}
}

# A constraints file pins what pip installs (`pip install -c constraints.txt flask`).
constrained(operation) if {
	operation.manager == "pip"
	some option in operation.options
	option.name in {"-c", "--constraint"}
}

tool(command) := command.program if not startswith(command.program, "python")

tool(command) := sprintf("%s -m pip", [command.program]) if startswith(command.program, "python")
