# METADATA
# title: Production workloads declare how they roll out
# description: >-
#   How a Kubernetes workload replaces its pods is part of the release: a Deployment without an
#   explicit `strategy` gets whatever the defaults are (RollingUpdate, 25% unavailable, 25%
#   surge) rather than a decision someone made for production, and a StatefulSet or DaemonSet
#   without `updateStrategy` likewise. A production overlay that sets `revisionHistoryLimit: 0`
#   removes the ReplicaSets `kubectl rollout undo` returns to, and a very long
#   `progressDeadlineSeconds` hides a stuck rollout from the pipeline that waits on it. This
#   rule looks at what production runs — a workload written in a production path, or a base
#   workload a production overlay includes, with the overlay's patches applied — and reports
#   where to fix it. (The kubernetes pack judges each manifest's own `maxUnavailable` and
#   `revisionHistoryLimit`; this rule is the release-level view through the overlays.) With
#   the param `require_progress_deadline: true`, Deployments must also set
#   `progressDeadlineSeconds`.
# related_resources:
#   - https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#strategy
#   - https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#progress-deadline-seconds
#   - https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-back-a-deployment
#   - https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/#update-strategies
# custom:
#   id: REL-008
#   severity: medium
#   kinds: [kubernetes]
#   scope: graph
#   remediation: >-
#     Set `spec.strategy` (Deployment) or `spec.updateStrategy` (StatefulSet, DaemonSet)
#     explicitly — for a serving Deployment `RollingUpdate` with `maxUnavailable: 0` and
#     `maxSurge: 1` or more — keep `revisionHistoryLimit` above 0, and set
#     `progressDeadlineSeconds` to how long a healthy rollout may take.
package ward.release_safety.k8s_production_rollout

import data.ward.release_safety.lib.kustomize as k
import rego.v1

environment := "production"

strategy_fields := {"Deployment": "strategy", "StatefulSet": "updateStrategy", "DaemonSet": "updateStrategy"}

production_workloads contains [d, r] if {
	some d in k.deployments
	d.environment == environment
	r := k.by_id[d.resource]
	strategy_fields[r.type]
}

via(d) := sprintf(" (deployed by %s)", [k.by_id[d.kustomization].path]) if d.kustomization != null

else := ""

deny contains result if {
	some [d, r] in production_workloads
	field := strategy_fields[r.type]
	not k.field(environment, r, ["spec", field])
	result := {
		"msg": sprintf("%s %s runs in production without an explicit spec.%s%s", [r.type, r.name, field, via(d)]),
		"path": ["spec"],
		"resource": r.id,
	}
}

deny contains result if {
	some [d, r] in production_workloads
	limit := k.field(environment, r, ["spec", "revisionHistoryLimit"])
	limit.value == 0
	k.by_id[limit.resource].environment == environment
	k.is_patch(k.by_id[limit.resource])
	result := {
		"msg": sprintf("%s %s: the production patch sets revisionHistoryLimit 0, so the rollout cannot be undone", [r.type, r.name]),
		"path": limit.path,
		"resource": limit.resource,
	}
}

deny contains result if {
	some [d, r] in production_workloads
	r.type == "Deployment"
	input.params.require_progress_deadline == true
	not k.field(environment, r, ["spec", "progressDeadlineSeconds"])
	result := {
		"msg": sprintf("Deployment %s runs in production without progressDeadlineSeconds%s", [r.name, via(d)]),
		"path": ["spec"],
		"resource": r.id,
	}
}

deny contains result if {
	some [d, r] in production_workloads
	r.type == "Deployment"
	deadline := k.field(environment, r, ["spec", "progressDeadlineSeconds"])
	is_number(deadline.value)
	deadline.value > input.params.max_progress_deadline_seconds
	result := {
		"msg": sprintf("Deployment %s: progressDeadlineSeconds %v in production is above %v, so a stuck rollout is reported late", [r.name, deadline.value, input.params.max_progress_deadline_seconds]),
		"path": deadline.path,
		"resource": deadline.resource,
	}
}
