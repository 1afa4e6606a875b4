# METADATA
# title: Quotes every env value in its message (a careless rule, for the redaction test)
# custom:
#   id: LEAK-001
#   severity: low
#   kinds: [dotenv]
package ward.test.leak

import rego.v1

deny contains result if {
  some i, entry in input.object.entries
  result := {"msg": sprintf("%s is set to %s", [entry.key, entry.value]), "path": ["entries", i, "value"]}
}
