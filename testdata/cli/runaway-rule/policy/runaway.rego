# METADATA
# title: A rule that builds millions of strings for every manifest
# description: Stands for a rule with a bug that makes it take all the memory it can.
# custom:
#   id: TEST-RUNAWAY
#   severity: low
#   kinds: [kubernetes]
package test.runaway

import rego.v1

deny contains result if {
  strings := [sprintf("%d-%s", [i, input.object.metadata.name]) | some i in numbers.range(1, 20000000)]
  count(strings) < 0
  result := {"msg": "never"}
}
