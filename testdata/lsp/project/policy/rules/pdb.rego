# METADATA
# title: Workloads have a PodDisruptionBudget
# description: >-
#   Without a PodDisruptionBudget, a node drain can take every replica down at once.
# custom:
#   id: LSPT-001
#   severity: medium
#   kinds: [kubernetes]
#   scope: graph
#   remediation: Add a PodDisruptionBudget whose selector matches the workload's pods.
package ward.lsptest.pdb

import rego.v1

import data.ward.lib.k8s

deny contains {"msg": sprintf("%s has no PodDisruptionBudget", [workload.name]), "resource": workload.id} if {
	some workload in data.ward.graph.resources
	k8s.is_workload(workload)
	not protected(workload.id)
}

protected(id) if {
	some edge in data.ward.graph.edges
	edge.to == id
	edge.relation == "selects"
	startswith(edge.from, "k8s:PodDisruptionBudget/")
}
