# METADATA
# title: The first resource of the graph is reported (a rule that reads the graph, and little else)
# custom:
#   id: TEST-GRAPH
#   severity: low
#   kinds: [kubernetes]
package test.graph_lookup

import rego.v1

deny contains "the first resource of the graph" if {
	input.meta.id == data.ward.graph.resources[0].id
}
