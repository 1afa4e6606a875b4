# METADATA
# title: Dockerfile base images are pinned
# custom:
#   id: DOCKER-001
#   severity: high
#   kinds: [dockerfile]
package ward.docker.latest

import rego.v1

deny contains result if {
  some i, stage in input.object.stages
  stage.from.stage == null
  stage.from.tag == "latest"
  result := {"msg": sprintf("stage %d uses %s", [i, stage.from.image]), "path": ["stages", i, "from", "tag"]}
}
