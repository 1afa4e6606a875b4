# METADATA
# title: Replicated production workloads have a PodDisruptionBudget
# description: >-
#   Node drains, cluster upgrades and autoscaler scale-downs evict pods through the eviction
#   API, which only holds back when a PodDisruptionBudget says how many pods must stay up.
#   Without one, a drain can evict every replica of a Deployment at once, and a service that
#   runs several replicas for availability goes down anyway. Checked for production
#   Deployments, StatefulSets, Argo Rollouts and OpenShift DeploymentConfigs that run more
#   than one replica: a workload is in production
#   when its file is in a production path or a production kustomize overlay builds it (a
#   base included by `overlays/production`); its production replicas are those the production
#   overlay sets (`replicas:` in the kustomization, or a patch's `spec.replicas`), else its
#   own, and an HPA deployed to production with `maxReplicas` above one counts too. A PDB
#   counts when it selects the workload's pods (the graph's `selects` edge, or its
#   matchExpressions) and is deployed to production (or to every environment).
# related_resources:
#   - https://kubernetes.io/docs/concepts/workloads/pods/disruptions/
#   - https://kubernetes.io/docs/tasks/run-application/configure-pdb/
#   - https://kubernetes.io/docs/tasks/administer-cluster/safely-drain-node/
# custom:
#   id: K8S-021
#   severity: medium
#   kinds: [kubernetes]
#   scope: graph
#   remediation: >-
#     Add a PodDisruptionBudget whose `selector.matchLabels` match the pod template's labels,
#     with `maxUnavailable: 1` (or a `minAvailable` below the replica count, so drains can
#     still proceed), to the base or to the production overlay.
package ward.kubernetes.pod_disruption_budget

import rego.v1

import data.lib.kubernetes as k8s

deny contains result if {
	some w in k8s.workloads
	w.type in {"Deployment", "StatefulSet", "Rollout", "DeploymentConfig"}
	k8s.in_production(w)
	replicas := max(k8s.production_replicas(w) | autoscaler_maximums(w))
	replicas > 1
	not has_budget(w)
	result := {
		"msg": sprintf("%s runs up to %d replicas in production and no PodDisruptionBudget selects its pods", [k8s.describe(w), replicas]),
		"resource": w.id,
	}
}

autoscaler_maximums(w) := {maximum |
	some autoscaler in k8s.production_autoscalers(w)
	maximum := autoscaler.value.spec.maxReplicas
	is_number(maximum)
}

has_budget(w) if {
	some budget in k8s.selectors_of(w, "PodDisruptionBudget")
	k8s.deployed_in(budget, "production")
}
