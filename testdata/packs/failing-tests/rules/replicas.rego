# METADATA
# title: Deployments run two replicas or more
# custom:
#   id: FT-002
#   severity: low
#   kinds: [kubernetes]
package ward.failing.replicas

import rego.v1

deny contains {"msg": "one replica", "path": ["spec", "replicas"], "related": [{"path": ["metadata", "name"]}]} if {
  input.object.kind == "Deployment"
  input.object.spec.replicas < 2
}

# A misspelt function in a branch no fixture takes: `ward test` fails on it all the same.
deny contains msg if {
  input.object.kind == "StatefulSet"
  msg := replica_mesage(input.object)
}
