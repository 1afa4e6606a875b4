# METADATA
# title: Installed packages are pinned to versions
# description: >-
#   `apt-get install curl`, `apk add curl` or `pip install flask` install whatever version the
#   index offers on the day of the build. Two builds of one commit then differ, a rebuild for an
#   unrelated change can pull in a breaking or vulnerable release, and a rollback does not roll
#   the packages back. Checked in every stage: apt (`pkg=version`), apk (`pkg=version`,
#   `pkg~version`), pip (`pkg==version` or any version specifier, a URL, a local path, a wheel;
#   `-r requirements.txt` is judged by the requirements file, not here). Arguments built from
#   variables, and the names in the param `unpinned_package_exceptions` (pip, setuptools,
#   wheel), are not judged.
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#apt-get
#   - https://github.com/hadolint/hadolint/wiki/DL3008
#   - https://github.com/hadolint/hadolint/wiki/DL3018
#   - https://github.com/hadolint/hadolint/wiki/DL3013
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

labels := {"apt": "apt-get", "apk": "apk", "pip": "pip"}

deny contains result if {
	some run in container.runs
	groups := [sprintf("%s %s", [labels[manager], concat(", ", names)]) |
		some manager in ["apt", "apk", "pip"]
		names := unpinned(run.text, manager)
		count(names) > 0
	]
	count(groups) > 0
	result := {
		"msg": sprintf("RUN installs packages without a version: %s", [concat("; ", groups)]),
		"path": container.run_path(run),
	}
}

# The unpinned package arguments of the `manager` installs of a RUN, in order of appearance.
unpinned(text, manager) := [word |
	some inv in container.installs(text)
	inv.manager == manager
	some word in inv.packages
	not pinned(manager, word)
	not contains(word, "$")
	not container.package_name(word) in {lower(name) | some name in input.params.unpinned_package_exceptions}
]

pinned("apt", word) if contains(word, "=")

# Local packages: ./pkg.deb, /tmp/pkg.deb.
pinned("apt", word) if regex.match(`^[./]|\.deb$`, word)

pinned("apk", word) if regex.match(`[=~<>]`, word)

pinned("apk", word) if regex.match(`^[./]|\.apk$`, word)

pinned("pip", word) if regex.match(`[=<>~!@]`, word)

# Paths, archives, wheels and VCS or URL requirements.
pinned("pip", word) if regex.match(`^[./~]|\.(whl|zip|tar\.gz|tgz)$|://|^git\+`, word)
