# METADATA
# title: pip install uses --no-cache-dir
# description: >-
#   pip keeps every wheel it downloads or builds under ~/.cache/pip. In an image that cache is
#   never used again but is shipped, often doubling the size of a Python layer. Judged in the
#   stages the final image is made of; accepted instead: `ENV PIP_NO_CACHE_DIR=1` in those
#   stages, a BuildKit cache mount on the pip cache (`--mount=type=cache,target=/root/.cache/pip`,
#   which keeps it out of the layer and speeds up rebuilds), or removing the cache in the same
#   RUN (`rm -rf /root/.cache/pip`, `pip cache purge`). `pip3`, `python3 -m pip` and pip run
#   through `sudo` or `sh -c` are pip; `uv pip`, pipx and pipenv are not, and are not judged.
# related_resources:
#   - https://pip.pypa.io/en/stable/topics/caching/
#   - https://github.com/hadolint/hadolint/wiki/DL3042
#   - https://docs.docker.com/build/cache/optimize/#use-cache-mounts
# custom:
#   id: CTR-013
#   severity: low
#   kinds: [dockerfile]
#   remediation: >-
#     `pip install --no-cache-dir …`, or `ENV PIP_NO_CACHE_DIR=1`, or
#     `RUN --mount=type=cache,target=/root/.cache/pip pip install …`.
package ward.container.pip_no_cache_dir

import rego.v1

import data.lib.container

deny contains result if {
	some run in container.final_runs
	some k, command in run.instruction.commands
	operation := command.package
	operation.manager == "pip"
	operation.operation == "install"
	not container.has_option(operation, "--no-cache-dir")
	not cache_disabled
	not pip_cache_mount(run.instruction)
	not cache_removed(run)
	result := {
		"msg": "pip install without --no-cache-dir ships pip's download cache in the image",
		"path": container.command_path(run, k),
	}
}

cache_disabled if {
	value := container.final_env("PIP_NO_CACHE_DIR")
	is_string(value)
	value != ""
}

pip_cache_mount(instruction) if {
	some target in container.cache_targets(instruction)
	regex.match(`(^|/)\.cache(/pip)?$|pip`, target)
}

# `rm -rf /root/.cache/pip`, `rm -rf ~/.cache`, or `pip cache purge`.
cache_removed(run) if {
	some command in run.instruction.commands
	command.program == "rm"
	some argument in command.argv
	contains(argument, ".cache")
}

cache_removed(run) if {
	some command in run.instruction.commands
	command.package.manager == "pip"
	command.package.operation == "clean"
}
