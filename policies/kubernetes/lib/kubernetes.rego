# Shared helpers of the kubernetes pack.
#
# - Workloads, their pod spec and their containers, read from the facts the engine derives once
#   for every workload kind (`input.meta.workload` for the resource a per-resource rule judges,
#   `workload` on each of `data.ward.graph.resources`): where each kind keeps its pod spec
#   (Deployment, CronJob, Knative Service, Argo Rollout, KEDA ScaledJob, …), every container,
#   init and ephemeral container with its exact path, and the security settings that apply to
#   each as the kubelet combines them (the container's own, else the pod's; the legacy seccomp
#   annotations too), with where each is written. No rule knows where a kind keeps its pods.
# - Image references split into name, tag and digest.
# - Graph queries: kustomize chains (which kustomizations include a resource, directly or
#   through other kustomizations), the environments a resource is deployed to, the edges that
#   select, scale or patch a workload.
package lib.kubernetes

import rego.v1

# --- workloads ----------------------------------------------------------------------------
#
# A workload is a resource with `value` and `workload` (the engine's facts): a graph resource,
# or `input_resource(input)`, the resource a per-resource rule judges, in the same shape.

# The resource a per-resource rule judges (`input_resource(input)`), when it runs pods
# (undefined otherwise). A function, not a rule: referring to a rule of this package from a
# per-resource rule would make regorus evaluate the package's graph tables for every resource.
input_resource(i) := {
	"id": i.meta.id,
	"type": i.meta.type,
	"name": i.meta.name,
	"value": i.object,
	"workload": i.meta.workload,
}

# Where a workload's pod spec is, and its pod template (the value holding the pod's `metadata`
# and `spec`; the object itself for a Pod).
pod_spec_path(w) := w.workload.pod_spec

template_path(w) := w.workload.template

# The pod spec of a workload ({} when it is not a mapping).
pod_spec(w) := spec if {
	spec := object.get(w.value, pod_spec_path(w), {})
	is_object(spec)
} else := {}

# The labels of a workload's pods, and their annotations.
pod_labels(w) := object_of(object.get(w.value, array.concat(template_path(w), ["metadata", "labels"]), {}))

# Whether a workload's pods run to completion (Job, CronJob, KEDA ScaledJob).
runs_to_completion(w) if w.workload.runs_to_completion == true

# Every container of a workload — containers, init containers, ephemeral containers — each as
# {name, container, path, group, init, sidecar, label, security}: `path` is the container's
# path in the object; `security` maps each field the container inherits from its pod
# (runAsNonRoot, runAsUser, runAsGroup, seccompProfile, seLinuxOptions, appArmorProfile) to the
# {value, from, path} that applies, when something sets it.
containers(w) := [entry |
	spec := pod_spec(w)
	some fact in w.workload.containers
	container := spec[fact.group][fact.index]
	entry := {
		"name": container_name(fact),
		"container": container,
		"path": fact.path,
		"group": fact.group,
		"init": fact.group == "initContainers",
		"sidecar": fact.sidecar,
		"label": sprintf("%s %q", [group_noun(fact.group), container_name(fact)]),
		"security": fact.security,
	}
]

# Containers of the groups in `groups` only.
containers_in(w, groups) := [entry | some entry in containers(w); entry.group in groups]

group_noun("containers") := "container"

group_noun("initContainers") := "init container"

group_noun("ephemeralContainers") := "ephemeral container"

# A container's name, or its index when it has none.
container_name(fact) := fact.name if {
	is_string(fact.name)
} else := sprintf("#%d", [fact.index])

# The value of an inherited securityContext field that applies to a container: its own, else
# its pod's (seccomp: also the legacy annotations). Undefined when nothing sets it.
effective_security(entry, field) := entry.security[field].value

# Where that value is written (`from`: container, container-annotation, pod, pod-annotation).
security_source(entry, field) := entry.security[field].from

# Where that value is written, or, when nothing sets it, the closest enclosing value of the
# container: its securityContext, else the container.
security_path(entry, field) := entry.security[field].path if {
	entry.security[field]
} else := array.concat(entry.path, ["securityContext"]) if {
	is_object(entry.container.securityContext)
} else := entry.path

# Whether the applying value comes from the pod (its securityContext or its annotation), so that
# one finding at the pod's field covers every container that inherits it.
from_pod(entry, field) if entry.security[field].from in {"pod", "pod-annotation"}

# The labels of containers as a list for a message: `container "a", init container "b"`.
labels(entries) := concat(", ", [entry.label | some entry in entries])

# The containers of `entries` grouped by where the value of `field` that applies to them is
# written, as [{path, from_pod, entries}]: a rule that reports a setting where it is written
# reports a pod-level value once, for every container that inherits it.
by_place(entries, field) := [{"path": path, "from_pod": pod_level, "entries": group} |
	some path in {entry.security[field].path | some entry in entries}
	group := [entry | some entry in entries; entry.security[field].path == path]
	some first in array.slice(group, 0, 1)
	pod_level := first.security[field].from in {"pod", "pod-annotation"}
]

# Who a setting written at a place applies to: `container "a"`, or `the pod's … (container "a",
# container "b")` for a value the containers inherit.
applies_to(place) := labels(place.entries) if {
	not place.from_pod
} else := sprintf("the pod (for %s)", [labels(place.entries)])

# --- images -------------------------------------------------------------------------------

# `registry:5000/team/app:1.2@sha256:…` → digest `sha256:…`; null without one.
image_digest(ref) := digest if {
	parts := split(ref, "@")
	count(parts) > 1
	digest := parts[1]
} else := null

# The image's name without tag or digest: `registry:5000/team/app`.
image_name(ref) := name if {
	base := split(ref, "@")[0]
	segments := split(base, "/")
	last := segments[count(segments) - 1]
	contains(last, ":")
	name := substring(base, 0, count(base) - count(last) + indexof(last, ":"))
} else := split(ref, "@")[0]

# The tag, or null when the reference has none (a port in the registry host is not a tag).
image_tag(ref) := tag if {
	base := split(ref, "@")[0]
	segments := split(base, "/")
	last := segments[count(segments) - 1]
	contains(last, ":")
	tag := substring(last, indexof(last, ":") + 1, -1)
} else := null

# An image that can change under the same reference: no digest, and `latest` or no tag.
mutable_image(ref) if {
	image_digest(ref) == null
	image_tag(ref) == null
}

mutable_image(ref) if {
	image_digest(ref) == null
	image_tag(ref) == "latest"
}

# --- the graph ----------------------------------------------------------------------------
#
# Lookups go through the indexes the engine builds once per scan (`data.ward.graph.index`):
# a rule that searched `graph.resources` or `graph.edges` per workload would pay for the whole
# graph each time. Rules without arguments below are evaluated once per evaluation.

graph := data.ward.graph

index := graph.index

resource(id) := graph.resources[index.resources_by_id[id]]

# Every resource of a type (`Deployment`, `Kustomization`, `Rollout`, …).
of_type(type) := [graph.resources[i] | some i in object.get(index.by_type, type, [])]

# Ids of the resources whose edges of `relation` point to `id`, and those `id`'s point to.
ids_to(id, relation) := object.get(index.edges_to, [id, relation], [])

ids_from(id, relation) := object.get(index.edges_from, [id, relation], [])

is_patch(r) if "patch" in r.labels

# Kustomizations that include `id` directly.
parents(id) := {from | some from in ids_to(id, "includes")}

# Every kustomization with the kustomizations that include it, directly or through other
# kustomizations (kustomize chains are shallow: six levels are followed). Computed once.
kustomization_ancestors := {k.id: closure(k.id) | some k in of_type("Kustomization")}

closure(id) := ((((a1 | a2) | a3) | a4) | a5) | a6 if {
	a1 := parents(id)
	a2 := {p | some x in a1; some p in parents(x)}
	a3 := {p | some x in a2; some p in parents(x)}
	a4 := {p | some x in a3; some p in parents(x)}
	a5 := {p | some x in a4; some p in parents(x)}
	a6 := {p | some x in a5; some p in parents(x)}
}

# The kustomizations that are built on their own: nothing includes them.
root_kustomizations := {k.id | some k in of_type("Kustomization"); count(parents(k.id)) == 0}

# Kustomizations that include `id`, directly or through other kustomizations.
ancestors(id) := kustomization_ancestors[id] if {
	kustomization_ancestors[id]
} else := direct | {a | some p in direct; some a in kustomization_ancestors[p]} if {
	direct := parents(id)
}

# The root kustomizations that include `id`.
roots(id) := ancestors(id) & root_kustomizations

# The kustomizations between `root` and `id`, both ends' side included (not `id` itself).
chain(root, id) := {k |
	some k in ancestors(id)
	on_chain(root, k)
}

on_chain(root, k) if k == root

on_chain(root, k) if root in kustomization_ancestors[k]

# The environments a resource is deployed to: its own (from its path), else those of the
# kustomizations that include it (a base is deployed to every overlay's environment).
environments(r) := {r.environment} if {
	r.environment != null
} else := {env |
	some a in ancestors(r.id)
	env := resource(a).environment
	env != null
}

in_production(r) if "production" in environments(r)

# A companion resource (PDB, HPA, NetworkPolicy) counts for an environment when it is
# deployed there, or when nothing says where it is deployed.
deployed_in(r, env) if env in environments(r)

deployed_in(r, _) if count(environments(r)) == 0

# Resources with an edge of `relation` to `id`, and those `id` has an edge of `relation` to.
sources(id, relation) := [resource(from) | some from in ids_to(id, relation)]

targets(id, relation) := [resource(to) | some to in ids_from(id, relation)]

# Whole (not patch) workloads of the graph, of every kind that runs pods.
workloads := [r |
	some i in object.get(index.by_kind, "kubernetes", [])
	r := graph.resources[i]
	r.workload
	not is_patch(r)
]

# Whether `a` and `b` can refer to each other the way ward's graph builder decides it: the same
# namespace, and environments that agree (equal, or either side environment-neutral, like a
# kustomize base).
visible(a, b) if {
	object.get(a.value, ["metadata", "namespace"], null) == object.get(b.value, ["metadata", "namespace"], null)
	environments_agree(a, b)
}

environments_agree(a, b) if a.environment == b.environment

environments_agree(a, _) if a.environment == null

environments_agree(_, b) if b.environment == null

# A label selector ({matchLabels, matchExpressions}) against a set of labels. ward's graph
# builder draws `selects` edges from matchLabels only; rules use this for selectors that have
# matchExpressions.
selector_matches(selector, labels) if {
	is_object(selector)
	every key, value in object_of(object.get(selector, "matchLabels", {})) {
		labels[key] == value
	}
	every expression in array_of(object.get(selector, "matchExpressions", [])) {
		expression_matches(expression, labels)
	}
}

expression_matches(expression, labels) if {
	expression.operator == "In"
	labels[expression.key] in array_of(expression.values)
}

expression_matches(expression, labels) if {
	expression.operator == "NotIn"
	not labels[expression.key] in array_of(expression.values)
}

expression_matches(expression, labels) if {
	expression.operator == "Exists"
	expression.key in object.keys(labels)
}

expression_matches(expression, labels) if {
	expression.operator == "DoesNotExist"
	not expression.key in object.keys(labels)
}

# Where each selecting kind keeps its label selector.
selector_paths := {
	"PodDisruptionBudget": ["spec", "selector"],
	"NetworkPolicy": ["spec", "podSelector"],
}

# Resources of `type` that select workload `w`'s pods: through ward's `selects` edges, or, for
# selectors with matchExpressions (which the edges do not cover), by matching them here.
selectors_of(w, type) := array.concat([r | some r in sources(w.id, "selects"); r.type == type], [r |
	some id in expression_selectors[type]
	r := resource(id)
	visible(r, w)
	selector_matches(object.get(r.value, selector_paths[type], {}), pod_labels(w))
])

# Resources (by type) whose selector has matchExpressions. Computed once.
expression_selectors[type] contains r.id if {
	some type, path in selector_paths
	some r in of_type(type)
	r.kind == "kubernetes"
	not is_patch(r)
	selector := object.get(r.value, path, null)
	is_object(selector)
	count(array_of(object.get(selector, "matchExpressions", []))) > 0
}

# --- kustomize ------------------------------------------------------------------------------

# The directory of a kustomization (its id is `k8s:Kustomization@<dir>`).
kustomization_dir(id) := trim_prefix(id, "k8s:Kustomization@")

# Whether every kustomization that builds resource `id` (each root that includes it, and the
# kustomizations between) overrides `image` with a pinned tag or a digest in `images:`. False
# when no kustomization includes it.
pinned_by_kustomize(id, image) if {
	above := ancestors(id)
	tops := above & root_kustomizations
	count(tops) > 0
	every root in tops {
		root_pins(root, above, image)
	}
}

# Some kustomization on the way from `root` down to the resource (`above` are all the
# kustomizations that include it) pins `image`.
root_pins(root, above, image) if {
	some k in above
	on_chain(root, k)
	some entry in kustomization_images[k]
	entry.name == image_name(image)
	pinning_entry(entry)
}

# Each kustomization's `replicas:` entries.
kustomization_replicas := {k.id: array_of(object.get(object_of(k.value), "replicas", [])) |
	some k in of_type("Kustomization")
}

# Each kustomization's `images:` entries.
kustomization_images := {k.id: array_of(object.get(object_of(k.value), "images", [])) |
	some k in of_type("Kustomization")
}

pinning_entry(entry) if {
	is_string(entry.digest)
	entry.digest != ""
}

pinning_entry(entry) if {
	not entry.digest
	entry.newTag != null
	entry.newTag != "latest"
	entry.newTag != ""
}

# The roots that build resource `id` without overriding `image` with a pinned reference.
roots_not_pinning(id, image) := {root |
	above := ancestors(id)
	some root in above & root_kustomizations
	not root_pins(root, above, image)
}

# --- replicas -------------------------------------------------------------------------------

# Whether a kustomization is built for production (itself, or through an overlay).
kustomization_in_production(id) if "production" in environments(resource(id))

# The replica counts workload `w` runs with in production: those set for it by production
# kustomizations (`replicas:`) and production patches, else its own `spec.replicas` (default 1).
production_replicas(w) := counts if {
	overrides := kustomize_replicas(w) | patch_replicas(w)
	count(overrides) > 0
	counts := overrides
} else := {own_replicas(w)}

kustomize_replicas(w) := {entry.count |
	some k in ancestors(w.id)
	kustomization_in_production(k)
	some entry in kustomization_replicas[k]
	entry.name == w.name
	is_number(entry.count)
}

patch_replicas(w) := {replicas |
	some p in sources(w.id, "patches")
	"production" in environments(p)
	replicas := p.value.spec.replicas
	is_number(replicas)
}

# HorizontalPodAutoscalers deployed to production that scale `w`.
production_autoscalers(w) := [h |
	some h in sources(w.id, "scales")
	h.type == "HorizontalPodAutoscaler"
	deployed_in(h, "production")
]

# How a resource is named in messages: `Deployment "api"`.
describe(r) := sprintf("%s %s", [r.type, quote(r.name)])

# A name in quotes; anything that is not a string (a missing name) as it is.
quote(name) := sprintf("%q", [name]) if {
	is_string(name)
} else := sprintf("%v", [name])

# A value as a list or a mapping, or an empty one when it is something else (null, a
# scalar): for iterating fields that a malformed manifest may leave empty.
array_of(value) := value if {
	is_array(value)
} else := []

object_of(value) := value if {
	is_object(value)
} else := {}

# A workload's own replica count (default 1).
own_replicas(w) := replicas if {
	replicas := object.get(w.value, ["spec", "replicas"], 1)
	is_number(replicas)
} else := 1
