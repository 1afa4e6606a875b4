# METADATA
# title: Environment-specific Dockerfiles build on the same base images
# description: >-
#   When an image is built from a different Dockerfile per environment (`Dockerfile.staging` /
#   `Dockerfile.production`, `docker/stg/Dockerfile` / `docker/prod/Dockerfile`), staging only
#   tests production's image if both start from the same base: another Python, Node or
#   distribution version in one of them means another interpreter, another libc and other
#   CVEs than the ones that were tested. Dockerfiles whose paths differ only by the
#   environment's name are compared stage by stage (by stage name, else by position), and a
#   stage whose base image (repository, tag or digest) differs is reported at the higher
#   environment's `FROM`, naming both images and lines. Build arguments in `FROM` are
#   replaced by their global `ARG` defaults (`ARG PY=3.12` … `FROM python:${PY}-slim`); a
#   stage built from an argument without a default, or from an earlier stage, is not compared. `base-image` (or the
#   stage's name) in `intended` silences a deliberate difference.
# related_resources:
#   - https://12factor.net/dev-prod-parity
#   - https://docs.docker.com/build/building/best-practices/#from
#   - https://docs.docker.com/build/building/multi-stage/
# custom:
#   id: ENV-006
#   severity: medium
#   kinds: [dockerfile]
#   scope: graph
#   remediation: >-
#     Build every environment from one Dockerfile (varying only build arguments or runtime
#     configuration), or keep the environment-specific Dockerfiles on the same base image
#     reference, updated together.
package ward.environment_parity.dockerfile_base_drift

import data.ward.environment_parity.lib.parity
import rego.v1

# Stages of two Dockerfiles that correspond: the same name, or (unnamed) the same position;
# with each stage's index in its file.
stage_pairs(a, b) := [[sa, sb, i, j] |
	some i, sb in b.value.stages
	some j, sa in a.value.stages
	same_stage(sa, sb)
]

same_stage(sa, sb) if {
	is_string(sb.name)
	is_string(sa.name)
	lower(sa.name) == lower(sb.name)
}

same_stage(sa, sb) if {
	not is_string(sb.name)
	not is_string(sa.name)
	sa.index == sb.index
}

deny contains result if {
	some c in parity.counterparts("dockerfile")
	some [sa, sb, i, j] in stage_pairs(c.lower, c.higher)
	# The base images with the global ARGs' defaults substituted, as the Dockerfile parser
	# resolves them; undefined for an earlier stage or an argument without a default.
	image_a := sa.base.image
	image_b := sb.base.image
	image_a != image_b
	not parity.intended(intended_names(sb))
	[lower, higher] := c.environments
	result := {
		"msg": sprintf("%s is built FROM %s in %s (%s:%d) but FROM %s in %s (%s:%d)", [
			stage_label(sb), image_b, higher, c.higher.path, sb.line,
			image_a, lower, c.lower.path, sa.line,
		]),
		"path": ["stages", i, "from"],
		"resource": c.higher.id,
		"related": [{"resource": c.lower.id, "path": ["stages", j, "from"], "message": sprintf("%s: FROM %s", [lower, image_a])}],
	}
}

intended_names(stage) := ["base-image", stage.name, sprintf("%s:base-image", [stage.name])] if is_string(stage.name)

else := ["base-image"]

stage_label(stage) := sprintf("stage %s", [stage.name]) if is_string(stage.name)

else := sprintf("stage %d", [stage.index])
