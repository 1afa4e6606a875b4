# Shared helpers of the kubernetes pack.
#
# - Where a workload's pod spec is, per kind, and its containers with the exact path of each,
#   so that every rule's finding points at the container field for every workload kind.
# - Image references split into name, tag and digest.
# - Graph queries: kustomize chains (which kustomizations include a resource, directly or
#   through other kustomizations), the environments a resource is deployed to, the edges that
#   select, scale or patch a workload.
package lib.kubernetes

import rego.v1

# Kinds that carry a pod spec, and the path of the pod spec inside the object.
pod_spec_paths := {
	"Deployment": ["spec", "template", "spec"],
	"StatefulSet": ["spec", "template", "spec"],
	"DaemonSet": ["spec", "template", "spec"],
	"ReplicaSet": ["spec", "template", "spec"],
	"Job": ["spec", "template", "spec"],
	"CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
	"Pod": ["spec"],
}

workload_kinds := {kind | some kind, _ in pod_spec_paths}

is_workload(obj) if obj.kind in workload_kinds

pod_spec_path(obj) := pod_spec_paths[obj.kind]

# The pod spec of a workload ({} when it has none, or it is not a mapping).
pod_spec(obj) := spec if {
	spec := object.get(obj, pod_spec_path(obj), {})
	is_object(spec)
} else := {}

# The pod template's labels (a Pod's own labels).
pod_labels(obj) := labels if {
	obj.kind == "Pod"
	labels := object.get(obj, ["metadata", "labels"], {})
	is_object(labels)
} else := labels if {
	template_path := array.slice(pod_spec_path(obj), 0, count(pod_spec_path(obj)) - 1)
	labels := object.get(obj, array.concat(template_path, ["metadata", "labels"]), {})
	is_object(labels)
} else := {}

# Every container and init container of a workload, each as
# {name, container, path, init, label}: `path` is the container's path in the object.
containers(obj) := [entry |
	spec := pod_spec(obj)
	some group in ["containers", "initContainers"]
	list := object.get(spec, group, [])
	is_array(list)
	some i, container in list
	is_object(container)
	entry := container_entry(obj, group, i, container)
]

container_entry(obj, group, i, container) := {
	"name": name,
	"container": container,
	"path": array.concat(pod_spec_path(obj), [group, i]),
	"init": group == "initContainers",
	"label": label,
} if {
	name := container_name(container, i)
	kind := {"containers": "container", "initContainers": "init container"}[group]
	label := sprintf("%s %q", [kind, name])
}

# A container's name, or its index when it has none.
container_name(container, i) := container.name if {
	is_string(container.name)
} else := sprintf("#%d", [i])

# The value of a securityContext field that applies to a container: the container's own,
# else the pod's (which the container inherits). Undefined when neither sets it.
effective_security(obj, entry, field) := value if {
	value := entry.container.securityContext[field]
	value != null
} else := value if {
	value := pod_spec(obj).securityContext[field]
	value != null
}

# Where that value is written (container level first), or, when neither level sets it, the
# closest enclosing value: the container's securityContext, else the container.
security_path(obj, entry, field) := array.concat(entry.path, ["securityContext", field]) if {
	entry.container.securityContext[field] != null
} else := array.concat(pod_spec_path(obj), ["securityContext", field]) if {
	pod_spec(obj).securityContext[field] != null
} else := array.concat(entry.path, ["securityContext"]) if {
	is_object(entry.container.securityContext)
} else := entry.path

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
# Rego rules without arguments are evaluated once per evaluation, functions at every call: the
# indexes below are built once per graph rule and make every lookup a map access. (A
# per-resource rule that walked the graph would pay for it once per resource, which is why the
# rules that need the graph are graph rules.)

graph := data.ward.graph

resources_by_id := {r.id: r | some r in graph.resources}

resource(id) := resources_by_id[id]

# Resource ids by type (`Deployment`, `Kustomization`, `Rollout`, …).
ids_by_type[type] contains r.id if {
	some r in graph.resources
	type := r.type
}

# Every resource of a type.
of_type(type) := [resources_by_id[id] | some id in ids_by_type[type]]

# Edges by the resource they point to, and by the one they start from.
edges_to[id] contains edge if {
	some edge in graph.edges
	id := edge.to
}

edges_from[id] contains edge if {
	some edge in graph.edges
	id := edge.from
}

is_patch(r) if "patch" in r.labels

# Kustomizations that include `id` directly.
parents(id) := {edge.from | some edge in edges_to[id]; edge.relation == "includes"}

# Every kustomization with the kustomizations that include it, directly or through other
# kustomizations (kustomize chains are shallow: six levels are followed). Computed once.
kustomization_ancestors := {k: closure(k) | some k in ids_by_type.Kustomization}

closure(id) := ((((a1 | a2) | a3) | a4) | a5) | a6 if {
	a1 := parents(id)
	a2 := {p | some x in a1; some p in parents(x)}
	a3 := {p | some x in a2; some p in parents(x)}
	a4 := {p | some x in a3; some p in parents(x)}
	a5 := {p | some x in a4; some p in parents(x)}
	a6 := {p | some x in a5; some p in parents(x)}
}

# The kustomizations that are built on their own: nothing includes them.
root_kustomizations := {k | some k in ids_by_type.Kustomization; count(parents(k)) == 0}

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
sources(id, relation) := [resource(edge.from) | some edge in edges_to[id]; edge.relation == relation]

targets(id, relation) := [resource(edge.to) | some edge in edges_from[id]; edge.relation == relation]

# Whole (not patch) workloads of the graph.
workloads := [r |
	some type in workload_kinds
	some r in of_type(type)
	r.kind == "kubernetes"
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
	r := resources_by_id[id]
	visible(r, w)
	selector_matches(object.get(r.value, selector_paths[type], {}), pod_labels(w.value))
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
kustomization_replicas := {k: array_of(object.get(object_of(resources_by_id[k].value), "replicas", [])) |
	some k in ids_by_type.Kustomization
}

# Each kustomization's `images:` entries.
kustomization_images := {k: array_of(object.get(object_of(resources_by_id[k].value), "images", [])) |
	some k in ids_by_type.Kustomization
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
