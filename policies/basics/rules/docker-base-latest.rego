# METADATA
# title: Dockerfile base images are pinned
# description: >-
#   A base image tagged `latest` (or untagged) changes under the build: two builds of the same
#   commit can ship different software, and a rollback may not roll anything back.
# related_resources:
#   - https://docs.docker.com/build/building/best-practices/#pin-base-image-versions
# custom:
#   id: BASICS-001
#   severity: high
#   kinds: [dockerfile]
#   remediation: Pin the base image to a version tag, and ideally a digest (`FROM python:3.12-slim@sha256:…`).
package ward.basics.docker_base_latest

import rego.v1

deny contains result if {
  some i, stage in input.object.stages
  stage.from.stage == null
  not stage.from.has_variables
  stage.from.image != "scratch"
  stage.from.digest == null
  unpinned(stage.from)
  result := {"msg": sprintf("stage %d is built from %s, which is not pinned", [i, stage.from.image]), "path": ["stages", i, "from"]}
}

unpinned(from) if from.tag == "latest"

unpinned(from) if from.tag == null
