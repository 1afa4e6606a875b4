# What an environment actually deploys, read from the graph: the Kubernetes workloads a
# kustomize overlay of that environment includes (directly or through its bases), and, for
# each, the value a field ends up with once the overlay's patches and `images:` / `replicas:`
# entries are applied — together with the resource and path where that value is written, so
# that a finding points at the line to change.
#
# This is not a kustomize implementation: strategic-merge patches are applied field by field
# (containers matched by name), `images:` entries by image name, `replicas:` entries by
# workload name. That is enough to compare and judge the fields release rules look at.
package ward.environment_parity.lib.kustomize

import rego.v1

graph := data.ward.graph

by_id := {r.id: r | some r in graph.resources}

is_patch(r) if "patch" in r.labels

# An object in a file a kustomization renders: what each environment deploys of it is the
# rendered object (labelled `rendered`, in the overlay's environment, every value already
# patched), which is what is compared.
rendered_input(r) if "rendered-input" in r.labels

# object.get for a value that may not be an object (a kustomization can be any YAML).
get(x, path, fallback) := object.get(x, path, fallback) if is_object(x)

else := fallback

# `x` when it is a list, else an empty list (a field written as null or as a scalar).
list(x) := x if is_array(x)

else := []

# Where a workload keeps its pod spec: the engine derives it for every workload kind
# (`workload` on the graph's resources: Deployment, CronJob, Argo Rollout, Knative Service, …).
pod_spec_path(r) := r.workload.pod_spec

# Whole (not patch) workloads, of every kind that runs pods.
workloads := [r |
	some r in graph.resources
	r.kind == "kubernetes"
	r.workload
	not is_patch(r)
	not rendered_input(r)
]

# --- kustomize chains -----------------------------------------------------------------------

include_edges := [e | some e in graph.edges; e.relation == "includes"]

parents_of := {to: {e.from | some e in include_edges; e.to == to} | some x in include_edges; to := x.to}

parents(id) := object.get(parents_of, id, set())

# Kustomizations that include `id`, directly or through other kustomizations (six levels).
ancestors(id) := ((((a1 | a2) | a3) | a4) | a5) | a6 if {
	a1 := parents(id)
	a2 := {p | some x in a1; some p in parents(x)}
	a3 := {p | some x in a2; some p in parents(x)}
	a4 := {p | some x in a3; some p in parents(x)}
	a5 := {p | some x in a4; some p in parents(x)}
	a6 := {p | some x in a5; some p in parents(x)}
}

# `id` is included by a kustomization of environment `env`.
has_env_ancestor(id, env) if {
	some a in ancestors(id)
	by_id[a].environment == env
}

# The deployments of the graph: {environment, resource, kustomization}. A workload is
# deployed to an environment when its own path names it, or when a kustomization of that
# environment includes it; `kustomization` is the outermost such kustomization (null for a
# plain manifest that no kustomization of its environment includes).
deployments contains {"environment": env, "resource": r.id, "kustomization": kid} if {
	some r in workloads
	some kid in ancestors(r.id)
	env := by_id[kid].environment
	env != null
	object.get(r, "environment", null) in {null, env}
	not has_env_ancestor(kid, env)
}

deployments contains {"environment": r.environment, "resource": r.id, "kustomization": null} if {
	some r in workloads
	r.environment != null
	not has_env_ancestor(r.id, r.environment)
}

# --- layers: the object, then patches --------------------------------------------------------

# The sources of a workload's fields in `env`, lowest precedence first: the object itself (rank
# 0), patches that name no environment (rank 1), the environment's own patches (rank 2).
patch_edges := [e | some e in graph.edges; e.relation == "patches"]

# Patches by the id of the object they patch.
patches_of := {to: [e.from | some e in patch_edges; e.to == to] | some x in patch_edges; to := x.to}

layers(env, r) := array.concat([{"resource": r, "rank": 0}], [layer |
	some id in object.get(patches_of, r.id, [])
	p := by_id[id]
	p.environment in {null, env}
	rank := {true: 2, false: 1}[p.environment == env]
	layer := {"resource": p, "rank": rank}
])

absent := "\u0000absent"

# The highest-ranked of a list of candidates {value, resource, path, rank}.
best(candidates) := c if {
	count(candidates) > 0
	top := max([x.rank | some x in candidates])
	c := [x | some x in candidates; x.rank == top][0]
}

# The value a field at `path` (in the object) has in `env`, as {value, resource, path, rank}:
# `resource` is the id of the object or patch that writes it. Undefined when nothing sets it
# (a null counts as not set).
field(env, r, path) := best([c |
	some layer in layers(env, r)
	value := object.get(layer.resource.value, path, absent)
	not value in {absent, null}
	c := {"value": value, "resource": layer.resource.id, "path": path, "rank": layer.rank}
])

# The path of the container named `name` in an object whose pod spec is at `spec_path` (the
# workload's, for the workload and its patches).
container_path(obj, spec_path, name) := path if {
	some group in ["containers", "initContainers"]
	some i, c in list(object.get(obj, array.concat(spec_path, [group]), []))
	is_object(c)
	c.name == name
	path := array.concat(spec_path, [group, i])
}

# Containers and init containers of a workload: {name, group, path}.
containers(r) := [c |
	spec_path := pod_spec_path(r)
	some group in ["containers", "initContainers"]
	list := object.get(r.value, array.concat(spec_path, [group]), [])
	is_array(list)
	some i, container in list
	is_object(container)
	is_string(container.name)
	c := {"name": container.name, "group": group, "path": array.concat(spec_path, [group, i])}
]

# The value of a field of container `name` (`rel` is the path inside the container) in `env`.
container_field(env, r, name, rel) := best([c |
	some layer in layers(env, r)
	base := container_path(layer.resource.value, pod_spec_path(r), name)
	path := array.concat(base, rel)
	value := object.get(layer.resource.value, path, absent)
	not value in {absent, null}
	c := {"value": value, "resource": layer.resource.id, "path": path, "rank": layer.rank}
])

# --- images ---------------------------------------------------------------------------------

# `registry:5000/team/app:1.2@sha256:…` → `sha256:…`; null without a digest.
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
	name := substring(base, 0, (count(base) - count(last)) + indexof(last, ":"))
} else := split(ref, "@")[0]

# The tag, or null when the reference has none (a registry port is not a tag).
image_tag(ref) := tag if {
	base := split(ref, "@")[0]
	segments := split(base, "/")
	last := segments[count(segments) - 1]
	contains(last, ":")
	tag := substring(last, indexof(last, ":") + 1, -1)
} else := null

# The `images:` entries for image `name` in the kustomizations that include workload `r` and
# belong to `env` (rank 2) or to no environment (rank 1): {entry, resource, index, rank}.
image_entries(env, r, name) := [x |
	some kid in ancestors(r.id)
	k := by_id[kid]
	k.environment in {null, env}
	some i, entry in list(get(k.value, "images", []))
	is_object(entry)
	entry.name == name
	x := {"entry": entry, "resource": kid, "index": i, "rank": {true: 2, false: 1}[k.environment == env]}
]

# The image container `cname` of workload `r` runs in `env`, once patches and `images:`
# entries are applied: {name, tag, digest, ref, source, entry}. `source` {resource, path, rank}
# is where the reference (or the tag) is written; `entry` is the deciding `images:` entry
# ({entry, resource, index, rank}) or null.
effective_image(env, r, cname) := result if {
	written := container_field(env, r, cname, ["image"])
	is_string(written.value)
	name := image_name(written.value)
	entries := image_entries(env, r, name)
	result := apply_entry(written, name, entries)
}

apply_entry(written, name, entries) := result if {
	count(entries) == 0
	result := image_result(name, image_tag(written.value), image_digest(written.value), written, null)
} else := result if {
	top := max([x.rank | some x in entries])
	x := [e | some e in entries; e.rank == top][0]
	new_name := object.get(x.entry, "newName", name)
	tag := entry_tag(x.entry, written.value)
	digest := entry_digest(x.entry, written.value)
	result := image_result(new_name, tag, digest, entry_source(x, written), x)
}

# An entry's tag (YAML may read `1.14` as a number) replaces the reference's.
# A digest without a new tag drops the tag (kustomize writes `name@digest`).
entry_tag(entry, ref) := sprintf("%v", [entry.newTag]) if {
	object.get(entry, "newTag", null) != null
} else := null if {
	is_string(object.get(entry, "digest", null))
} else := image_tag(ref)

# An entry's digest replaces the reference's; a new tag drops the reference's digest.
entry_digest(entry, ref) := entry.digest if {
	is_string(object.get(entry, "digest", null))
} else := null if {
	object.get(entry, "newTag", null) != null
} else := image_digest(ref)

# Where an entry decides the image: its digest or tag; with only `newName`, the tag still
# comes from the reference.
entry_source(x, written) := {"resource": x.resource, "path": ["images", x.index, "digest"], "rank": x.rank} if {
	is_string(object.get(x.entry, "digest", null))
} else := {"resource": x.resource, "path": ["images", x.index, "newTag"], "rank": x.rank} if {
	object.get(x.entry, "newTag", null) != null
} else := written

image_result(name, tag, digest, source, entry) := {
	"name": name,
	"tag": tag,
	"digest": digest,
	"ref": image_ref(name, tag, digest),
	"source": {"resource": source.resource, "path": source.path, "rank": source.rank},
	"entry": entry,
}

image_ref(name, tag, digest) := sprintf("%s:%v@%s", [name, tag, digest]) if {
	tag != null
	digest != null
} else := sprintf("%s@%s", [name, digest]) if {
	digest != null
} else := sprintf("%s:%v", [name, tag]) if {
	tag != null
} else := name

# A tag that is moved on every push (or no tag at all, which means `latest`), without a digest.
mutable(image, mutable_tags) if {
	image.digest == null
	image.tag == null
}

mutable(image, mutable_tags) if {
	image.digest == null
	lower(sprintf("%v", [image.tag])) in {lower(t) | some t in mutable_tags}
}
