# METADATA
# title: Production workloads have an autoscaler or at least two replicas
# description: >-
#   A single replica is a single point of failure: every rollout, node drain, eviction or crash
#   is an outage until a new pod is scheduled and ready. Checked for production Deployments,
#   StatefulSets, Argo Rollouts and OpenShift DeploymentConfigs (in a production path, or built by a production kustomize overlay). The
#   workload passes when a HorizontalPodAutoscaler (or KEDA ScaledObject) deployed to
#   production scales it with `minReplicas` of at least two, or, without an autoscaler, when
#   every production replica count (the overlay's `replicas:` or patch, else its own
#   `spec.replicas`, default 1) is at least two. An autoscaler whose `minReplicas` is one (the
#   default) is reported: it scales the workload down to one pod whenever load is low.
# related_resources:
#   - https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#scaling-a-deployment
#   - https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
#   - https://keda.sh/docs/latest/reference/scaledobject-spec/
# custom:
#   id: K8S-022
#   severity: medium
#   kinds: [kubernetes]
#   scope: graph
#   remediation: >-
#     Run at least two replicas in production (`replicas:` in the production overlay), or add a
#     HorizontalPodAutoscaler with `minReplicas: 2` or more.
package ward.kubernetes.replicas_or_autoscaler

import rego.v1

import data.lib.kubernetes as k8s

production_kinds := {"Deployment", "StatefulSet", "Rollout", "DeploymentConfig"}

deny contains result if {
	some w in k8s.workloads
	w.type in production_kinds
	k8s.in_production(w)
	count(scalers(w)) == 0
	replicas := min(k8s.production_replicas(w))
	replicas < 2
	result := {
		"msg": sprintf("%s runs %d replica in production and no autoscaler scales it", [k8s.describe(w), replicas]),
		"resource": w.id,
	}
}

deny contains result if {
	some w in k8s.workloads
	w.type in production_kinds
	k8s.in_production(w)
	some scaler in scalers(w)
	minimum := minimum_of(scaler)
	minimum < 2
	result := {
		"msg": sprintf("%s scales %s down to %d replica in production", [k8s.describe(scaler), k8s.describe(w), minimum]),
		"path": minimum_path(scaler),
		"resource": scaler.id,
	}
}

scaled_objects := k8s.of_type("ScaledObject")

# HPAs (through the graph's `scales` edge) and KEDA ScaledObjects that scale `w` in production.
scalers(w) := array.concat(k8s.production_autoscalers(w), [s |
	some s in scaled_objects
	not k8s.is_patch(s)
	s.value.spec.scaleTargetRef.name == w.name
	object.get(s.value, ["spec", "scaleTargetRef", "kind"], "Deployment") == w.type
	k8s.visible(s, w)
	k8s.deployed_in(s, "production")
])

# minReplicas (HPA) or minReplicaCount (KEDA); both default to 1.
minimum_of(scaler) := minimum if {
	some field in ["minReplicas", "minReplicaCount"]
	minimum := scaler.value.spec[field]
	is_number(minimum)
} else := 1

minimum_path(scaler) := ["spec", "minReplicas"] if {
	scaler.value.spec.minReplicas != null
} else := ["spec", "minReplicaCount"] if {
	scaler.value.spec.minReplicaCount != null
} else := ["spec"]
