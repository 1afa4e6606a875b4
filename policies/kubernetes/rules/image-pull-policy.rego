# METADATA
# title: Containers use a sensible imagePullPolicy
# description: >-
#   `imagePullPolicy: Never` runs whatever image happens to be on the node: a pod scheduled on
#   a new node fails to start, and nodes can run different builds. `IfNotPresent` with a
#   mutable reference (`latest`, or no tag, and no digest) makes each node keep whichever build
#   it pulled first, so one Deployment runs several versions at once. The rule: the policy must
#   be one of the `allowed_pull_policies` param (Always and IfNotPresent by default, so Never is
#   reported), and a mutable image must be pulled with `Always` (or with the policy unset,
#   which Kubernetes then sets to Always). A pinned tag or a digest may use IfNotPresent.
#   Checked for containers, init and ephemeral containers of every workload kind.
# related_resources:
#   - https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy
#   - https://kubernetes.io/docs/concepts/configuration/overview/#container-images
# custom:
#   id: K8S-020
#   severity: medium
#   kinds: [kubernetes]
#   scope: graph
#   remediation: >-
#     Pin the image to a version tag or a digest and use `IfNotPresent` (or leave the policy
#     unset); never use `Never` outside local clusters.
package ward.kubernetes.image_pull_policy

import rego.v1

import data.lib.kubernetes as k8s

allowed := {p | some p in object.get(input.params, "allowed_pull_policies", ["Always", "IfNotPresent"])}

deny contains result if {
	some w in k8s.workloads
	some entry in k8s.containers(w)
	policy := entry.container.imagePullPolicy
	is_string(policy)
	not policy in allowed
	result := {
		"msg": sprintf("%s uses imagePullPolicy: %s", [entry.label, policy]),
		"path": array.concat(entry.path, ["imagePullPolicy"]),
		"resource": w.id,
	}
}

deny contains result if {
	some w in k8s.workloads
	some entry in k8s.containers(w)
	entry.container.imagePullPolicy == "IfNotPresent"
	"IfNotPresent" in allowed
	image := entry.container.image
	is_string(image)
	k8s.mutable_image(image)
	not k8s.pinned_by_kustomize(w.id, image)
	result := {
		"msg": sprintf("%s pulls the mutable image %s with imagePullPolicy: IfNotPresent, so each node keeps the build it pulled first", [entry.label, image]),
		"path": array.concat(entry.path, ["imagePullPolicy"]),
		"resource": w.id,
	}
}
