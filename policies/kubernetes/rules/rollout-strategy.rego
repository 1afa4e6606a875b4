# METADATA
# title: Deployments roll out without taking serving pods down
# description: >-
#   `Recreate` stops every pod before the new ones start, and a RollingUpdate whose
#   `maxUnavailable` is not zero stops old pods before their replacements are ready: a rollout,
#   and a rollback, is then a partial or full outage, worst when the new version does not
#   start. The safe strategy is RollingUpdate with `maxUnavailable: 0` (and `maxSurge` of at
#   least one), so capacity never drops below the replica count. A percentage (the default is
#   25%) is rounded down by Kubernetes against the replica count: the rule reports it as an
#   error when it comes to one pod or more for the most replicas the Deployment can run (its
#   own, its overlays' and patches', its autoscalers' `maxReplicas`), and as a warning when it
#   still rounds to zero, since scaling up later silently makes rollouts take pods down. A
#   Deployment whose rollout is done another way passes when it says so: the annotation named
#   by the `rollout_annotation` param (`ward.dev/rollout`) set to one of
#   `rollout_annotation_values` (`canary`, `blue-green`) on the Deployment or on a patch of it,
#   an Argo Rollouts `Rollout` that references it through `spec.workloadRef`, or a Flagger
#   `Canary` that targets it. Argo Rollouts `Rollout` objects are progressive by design and are
#   not checked. Checked for every Deployment, and for every kustomize patch of one that sets
#   `spec.strategy` (each overlay's strategy is judged on its own).
# related_resources:
#   - https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#strategy
#   - https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#max-unavailable
#   - https://argo-rollouts.readthedocs.io/en/stable/features/specification/
#   - https://docs.flagger.app/usage/how-it-works
# custom:
#   id: K8S-024
#   severity: medium
#   kinds: [kubernetes]
#   scope: graph
#   remediation: >-
#     Set `spec.strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge:
#     1}}`, or document a canary or blue-green rollout with the `ward.dev/rollout` annotation
#     (or an Argo Rollouts / Flagger resource).
package ward.kubernetes.rollout_strategy

import rego.v1

import data.lib.kubernetes as k8s

deployments := [w |
	some w in k8s.workloads
	w.type == "Deployment"
	not progressive(w)
]

# The Deployment itself, and each patch of it that sets a strategy of its own.
strategies := [[w, d] |
	some w in deployments
	some d in array.concat([w], [patch | some patch in k8s.sources(w.id, "patches"); patch.value.spec.strategy])
]

# The most replicas each Deployment runs with, computed once.
most := {w.id: most_replicas(w) | some w in deployments}

deny contains result if {
	some [w, d] in strategies
	object.get(d.value, ["spec", "strategy", "type"], "RollingUpdate") == "Recreate"
	result := {
		"msg": sprintf("%s uses the Recreate strategy: every pod stops before the new ones start", [k8s.describe(w)]),
		"path": ["spec", "strategy", "type"],
		"resource": d.id,
	}
}

deny contains result if {
	some [w, d] in strategies
	[written, pods] := unavailable(w, d)
	pods >= 1
	result := {
		"msg": sprintf("%s lets its rolling update stop %d of its (up to %d) pods before their replacements are ready (%s)", [k8s.describe(w), pods, most[w.id], written_text(d, written)]),
		"path": ["spec", "strategy", "rollingUpdate", "maxUnavailable"],
		"resource": d.id,
	}
}

warn contains result if {
	some [w, d] in strategies
	[written, pods] := unavailable(w, d)
	pods == 0
	not written in {0, "0%", "0"}
	result := {
		"msg": sprintf("%s does not set maxUnavailable: 0: %s rounds down to no pod only while it runs %d replicas or fewer", [k8s.describe(w), written_text(d, written), last_safe(written)]),
		"path": ["spec", "strategy", "rollingUpdate", "maxUnavailable"],
		"resource": d.id,
	}
}

# [maxUnavailable as written (25% when unset), the pods it stops at the most replicas].
unavailable(w, d) := [written, pods] if {
	object.get(d.value, ["spec", "strategy", "type"], "RollingUpdate") == "RollingUpdate"
	written := object.get(d.value, ["spec", "strategy", "rollingUpdate", "maxUnavailable"], "25%")
	pods := pods_of(written, most[w.id])
}

pods_of(written, _) := written if is_number(written)

pods_of(written, replicas) := floor((replicas * to_number(trim_suffix(written, "%"))) / 100) if {
	is_string(written)
	regex.match(`^[0-9]+%$`, written)
}

pods_of(written, _) := to_number(written) if {
	is_string(written)
	not endswith(written, "%")
	regex.match(`^[0-9]+$`, written)
}

# The largest replica count the Deployment runs with anywhere: its own, kustomize `replicas:`
# and patches in any overlay, and its autoscalers' maxReplicas.
most_replicas(w) := max({k8s.own_replicas(w)} | overlay_replicas(w) | scaler_replicas(w))

overlay_replicas(w) := {entry.count |
	some k in k8s.ancestors(w.id)
	some entry in k8s.kustomization_replicas[k]
	entry.name == w.name
	is_number(entry.count)
} | {replicas |
	some patch in k8s.sources(w.id, "patches")
	replicas := patch.value.spec.replicas
	is_number(replicas)
}

scaler_replicas(w) := {replicas |
	some scaler in k8s.sources(w.id, "scales")
	replicas := scaler.value.spec.maxReplicas
	is_number(replicas)
}

written_text(d, written) := "the default 25%" if {
	not d.value.spec.strategy.rollingUpdate.maxUnavailable
} else := sprintf("maxUnavailable: %v", [written])

# The most replicas at which a percentage still rounds down to zero pods.
last_safe(written) := ceil((100 / to_number(trim_suffix(written, "%")))) - 1 if {
	is_string(written)
	regex.match(`^[0-9]+%$`, written)
	to_number(trim_suffix(written, "%")) > 0
}

annotation := object.get(input.params, "rollout_annotation", "ward.dev/rollout")

annotation_values := {v | some v in object.get(input.params, "rollout_annotation_values", ["canary", "blue-green"])}

rollouts := k8s.of_type("Rollout")

canaries := k8s.of_type("Canary")

# The rollout is progressive (canary, blue-green) and done by something else.
progressive(w) if {
	some d in array.concat([w], k8s.sources(w.id, "patches"))
	d.value.metadata.annotations[annotation] in annotation_values
}

progressive(w) if {
	some r in rollouts
	r.value.spec.workloadRef.name == w.name
	object.get(r.value, ["spec", "workloadRef", "kind"], "Deployment") == "Deployment"
	k8s.visible(r, w)
}

progressive(w) if {
	some r in canaries
	r.value.spec.targetRef.name == w.name
	object.get(r.value, ["spec", "targetRef", "kind"], "Deployment") == "Deployment"
	k8s.visible(r, w)
}
