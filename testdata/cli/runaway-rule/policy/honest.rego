# METADATA
# title: Manifests name their namespace
# custom:
#   id: TEST-HONEST
#   severity: low
#   kinds: [kubernetes]
package test.honest

import rego.v1

deny contains result if {
  not input.object.metadata.namespace
  result := {"msg": sprintf("%s has no namespace", [input.object.metadata.name]), "path": ["metadata"]}
}
