# METADATA
# title: The final stage runs as a non-root USER
# description: >-
#   Without a USER instruction the container's processes run as root (uid 0). Root in a container
#   is root on the host's kernel: a compromise of the application, or a container escape through
#   a kernel or runtime bug, starts with every privilege, and files written to mounted volumes
#   are owned by root. The user that applies is the last USER of the final stage or, when the
#   final stage builds FROM an earlier stage, of that stage; `USER root`, `USER 0` and
#   `USER 0:0` are as bad as none. A final stage FROM a base image listed in the param
#   `non_root_base_images` (distroless `:nonroot`, Chainguard) already runs as non-root.
#   `USER ${UID}` is not judged: its value is only known at build time.
# related_resources:
#   - https://docs.docker.com/reference/dockerfile/#user
#   - https://docs.docker.com/build/building/best-practices/#user
#   - https://www.cisecurity.org/benchmark/docker
#   - https://github.com/hadolint/hadolint/wiki/DL3002
#   - https://avd.aquasec.com/misconfig/docker/general/avd-ds-0002/
# custom:
#   id: CTR-003
#   severity: high
#   kinds: [dockerfile]
#   remediation: >-
#     Create an unprivileged user in the image and switch to it in the final stage, after the
#     steps that need root: `RUN useradd --system --uid 10001 app` then `USER 10001:10001`.
#     Use a numeric uid so that Kubernetes' `runAsNonRoot` can verify it.
package ward.container.non_root_user

import rego.v1

import data.lib.container

root_users := {"root", "0", "containeradministrator"}

deny contains result if {
	container.final_index >= 0
	not container.last_final_instruction("user")
	not non_root_base
	result := {
		"msg": "the final stage sets no USER, so the container runs as root",
		"path": ["stages", container.final_index],
	}
}

deny contains result if {
	[s, j] := container.last_final_instruction("user")
	instruction := container.stages[s].instructions[j]
	count(instruction.args) > 0
	user := split(instruction.args[0], ":")[0]
	lower(user) in root_users
	result := {
		"msg": sprintf("the final image runs as USER %s, which is root", [instruction.args[0]]),
		"path": ["stages", s, "instructions", j, "args", 0],
	}
}

# The first stage of the final chain (the one built FROM an image) uses a base image that runs
# as non-root by default.
non_root_base if {
	root := min(container.final_chain)
	image := container.stages[root].base.image
	some pattern in input.params.non_root_base_images
	regex.match(pattern, image)
}
