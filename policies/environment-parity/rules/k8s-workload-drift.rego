# METADATA
# title: Kubernetes overlays run workloads the same way in each environment
# description: >-
#   A release that passed staging can still fail in production when the two run it
#   differently: a security context relaxed only in production (a writable root filesystem, a
#   privilege allowed), a readiness probe that exists in one environment only or probes
#   another endpoint, a memory limit set in staging and missing in production, production
#   running fewer replicas than staging. This rule compares every workload both environments
#   of a pair deploy (matched by kind and name across kustomize overlays and plain manifests),
#   with each overlay's patches and `replicas:` entries applied, and reports the settings the
#   `kubernetes_compare` param lists: `replicas` (the higher environment running fewer),
#   `resource-limits` (a CPU or memory limit present on one side only — the amounts are sizing
#   and may differ), `probes` (present on one side only, or a different handler, path or port)
#   and `security-context` (any pod or container securityContext field that differs). The
#   finding is placed where an environment's own overlay sets the value; the message names
#   both environments' values and files. Differences listed in `intended` are not reported.
# related_resources:
#   - https://12factor.net/dev-prod-parity
#   - https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/
#   - https://kubernetes.io/docs/tasks/configure-pod-container/security-context/
#   - https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
# custom:
#   id: ENV-004
#   severity: medium
#   kinds: [kubernetes]
#   scope: graph
#   remediation: >-
#     Make the overlays agree — move the setting into the base, or set it the same way in both
#     overlays' patches — or, if the difference is on purpose, name it in
#     `[params.environment-parity] intended` (for example `replicas` or
#     `api:readOnlyRootFilesystem`).
package ward.environment_parity.k8s_workload_drift

import data.ward.environment_parity.lib.kustomize as k
import data.ward.environment_parity.lib.parity
import data.ward.environment_parity.lib.values
import rego.v1

compare := {c | some c in input.params.kubernetes_compare}

# Workloads both environments of a pair deploy: {a, b, da, db, pair}.
matches contains m if {
	some p in parity.pairs
	some da in k.deployments
	da.environment == p[0]
	some db in k.deployments
	db.environment == p[1]
	ra := k.by_id[da.resource]
	rb := k.by_id[db.resource]
	ra.type == rb.type
	ra.name == rb.name
	m := {"a": ra, "b": rb, "da": da, "db": db, "pair": p}
}

# Containers both sides have, by name.
shared_containers(m) := {ca.name |
	some ca in k.containers(m.a)
	some cb in k.containers(m.b)
	ca.name == cb.name
}

# The names a difference can be declared intended by: each name, alone and qualified by the
# workload (`api`, `Deployment/api`) and, for container settings, by the container.
intended(m, container, plain) if {
	scopes := {m.b.name, sprintf("%s/%s", [m.b.type, m.b.name]), container}
	names := {n | some n in plain} | {sprintf("%s:%s", [s, n]) | some s in scopes; s != ""; some n in plain}
	parity.intended(names)
}

label(m, "") := sprintf("%s %s", [m.b.type, m.b.name])

label(m, container) := sprintf("%s %s, container %s", [m.b.type, m.b.name, container]) if container != ""

show(value) := sprintf("%v", [value]) if not is_string(value)

show(value) := value if is_string(value)

file(id) := k.by_id[id].path

# The files that make up a workload in an environment: its patches, then the object.
files(env, r) := concat(", ", [layer.resource.path |
	layers := k.layers(env, r)
	some rank in [2, 1, 0]
	some layer in layers
	layer.rank == rank
])

# --- replicas -----------------------------------------------------------------------------

# A workload's replicas in `env`: a `replicas:` entry of the environment's kustomizations,
# else the patched `spec.replicas`, else 1. {value, resource, path, rank}.
replicas(env, r) := best if {
	entries := [c |
		some kid in k.ancestors(r.id)
		kust := k.by_id[kid]
		kust.environment in {null, env}
		some i, entry in k.list(k.get(kust.value, "replicas", []))
		entry.name == r.name
		rank := {true: 4, false: 3}[kust.environment == env]
		c := {"value": entry.count, "resource": kid, "path": ["replicas", i, "count"], "rank": rank}
	]
	best := k.best(entries)
} else := k.field(env, r, ["spec", "replicas"]) if {
	k.field(env, r, ["spec", "replicas"])
} else := {"value": 1, "resource": r.id, "path": ["spec"], "rank": 0}

# A lookup in the graph's `edges_to` index (built once per scan), not a walk of every edge for
# every pair of workloads compared.
scaled_by_hpa(r) if count(data.ward.graph.index.edges_to[r.id].scales) > 0

deny contains result if {
	"replicas" in compare
	some m in matches
	m.b.type in {"Deployment", "StatefulSet", "ReplicaSet"}
	not scaled_by_hpa(m.a)
	not scaled_by_hpa(m.b)
	not intended(m, "", ["replicas"])
	ra := replicas(m.pair[0], m.a)
	rb := replicas(m.pair[1], m.b)
	is_number(ra.value)
	is_number(rb.value)
	rb.value < ra.value
	result := {
		"msg": sprintf("%s: %s runs %v replicas (%s), fewer than the %v of %s (%s)", [label(m, ""), m.pair[1], rb.value, file(rb.resource), ra.value, m.pair[0], file(ra.resource)]),
		"path": rb.path,
		"resource": rb.resource,
		"related": [{"resource": ra.resource, "path": ra.path, "message": sprintf("%s runs %v replicas", [m.pair[0], ra.value])}],
	}
}

# --- container settings -------------------------------------------------------------------

# Where to point for a container setting that an environment lacks: the container in the
# environment's own patch if it has one, else in the object.
container_place(env, r, container, rel) := {"resource": c.resource, "path": c.path} if {
	c := k.best([x |
		some layer in k.layers(env, r)
		base := k.container_path(layer.resource.value, k.pod_spec_path(r), container)
		x := {"value": true, "resource": layer.resource.id, "path": array.concat(base, rel), "rank": layer.rank}
	])
}

# A setting present on one side only. `fa`/`fb` are the sides' values or "absent".
presence_finding(m, container, rel, what, va, vb) := {
	"msg": sprintf("%s: %s is set in %s (%s) but not in %s (%s)", [label(m, container), what, m.pair[0], file(va.resource), m.pair[1], files(m.pair[1], m.b)]),
	"place": container_place(m.pair[1], m.b, container, rel),
	"other": {"resource": va.resource, "path": va.path, "message": sprintf("%s sets %s", [m.pair[0], what])},
} if {
	va != null
	vb == null
}

presence_finding(m, container, rel, what, va, vb) := {
	"msg": sprintf("%s: %s is set in %s (%s) but not in %s (%s)", [label(m, container), what, m.pair[1], file(vb.resource), m.pair[0], files(m.pair[0], m.a)]),
	"place": container_place(m.pair[0], m.a, container, rel),
	"other": {"resource": vb.resource, "path": vb.path, "message": sprintf("%s sets %s", [m.pair[1], what])},
} if {
	va == null
	vb != null
}

or_null(env, r, container, rel) := v if {
	v := k.container_field(env, r, container, rel)
} else := null

# Resource limits: present on one side only.
deny contains result if {
	"resource-limits" in compare
	some m in matches
	some container in shared_containers(m)
	some resource in ["cpu", "memory"]
	not intended(m, container, ["resources", "limits", resource])
	rel := ["resources", "limits", resource]
	finding := presence_finding(m, container, rel, sprintf("a %s limit", [resource]), or_null(m.pair[0], m.a, container, rel), or_null(m.pair[1], m.b, container, rel))
	result := {"msg": finding.msg, "path": finding.place.path, "resource": finding.place.resource, "related": [finding.other]}
}

probe_kinds := ["livenessProbe", "readinessProbe", "startupProbe"]

# Probes: present on one side only.
deny contains result if {
	"probes" in compare
	some m in matches
	some container in shared_containers(m)
	some probe in probe_kinds
	not intended(m, container, ["probes", probe])
	finding := presence_finding(m, container, [probe], sprintf("a %s", [probe]), or_null(m.pair[0], m.a, container, [probe]), or_null(m.pair[1], m.b, container, [probe]))
	result := {"msg": finding.msg, "path": finding.place.path, "resource": finding.place.resource, "related": [finding.other]}
}

# The fields that say what a probe checks (not how often).
handler_fields := [
	["httpGet", "path"], ["httpGet", "port"], ["httpGet", "scheme"], ["httpGet", "host"],
	["tcpSocket", "port"], ["grpc", "port"], ["grpc", "service"], ["exec", "command"],
]

# Probes: a different handler, path or port.
deny contains result if {
	"probes" in compare
	some m in matches
	some container in shared_containers(m)
	some probe in probe_kinds
	not intended(m, container, ["probes", probe])
	k.container_field(m.pair[0], m.a, container, [probe])
	k.container_field(m.pair[1], m.b, container, [probe])
	some field in handler_fields
	rel := array.concat([probe], field)
	va := or_null(m.pair[0], m.a, container, rel)
	vb := or_null(m.pair[1], m.b, container, rel)
	value_of(va) != value_of(vb)
	finding := difference(m, container, concat(".", rel), va, vb)
	result := {"msg": finding.msg, "path": finding.place.path, "resource": finding.place.resource, "related": [finding.other]}
}

value_of(null) := null

value_of(v) := v.value if v != null

# Security context: every pod and container field, compared leaf by leaf.
security_paths(env, r, container) := {rel |
	some layer in k.layers(env, r)
	base := k.container_path(layer.resource.value, k.pod_spec_path(r), container)
	context := object.get(layer.resource.value, array.concat(base, ["securityContext"]), {})
	some [inner, _] in values.leaves(context)
	rel := array.concat(["securityContext"], inner)
}

pod_security_paths(env, r) := {path |
	some layer in k.layers(env, r)
	spec_path := k.pod_spec_path(r)
	context := object.get(layer.resource.value, array.concat(spec_path, ["securityContext"]), {})
	some [inner, _] in values.leaves(context)
	path := array.concat(array.concat(spec_path, ["securityContext"]), inner)
}

deny contains result if {
	"security-context" in compare
	some m in matches
	some container in shared_containers(m)
	some rel in security_paths(m.pair[0], m.a, container) | security_paths(m.pair[1], m.b, container)
	not intended(m, container, ["securityContext", field_name(rel)])
	va := or_null(m.pair[0], m.a, container, rel)
	vb := or_null(m.pair[1], m.b, container, rel)
	value_of(va) != value_of(vb)
	finding := difference(m, container, dotted(rel), va, vb)
	result := {"msg": finding.msg, "path": finding.place.path, "resource": finding.place.resource, "related": [finding.other]}
}

pod_field_or_null(env, r, path) := v if {
	v := k.field(env, r, path)
} else := null

deny contains result if {
	"security-context" in compare
	some m in matches
	some path in pod_security_paths(m.pair[0], m.a) | pod_security_paths(m.pair[1], m.b)
	rel := array.slice(path, count(k.pod_spec_path(m.b)), count(path))
	not intended(m, "", ["securityContext", field_name(rel)])
	va := pod_field_or_null(m.pair[0], m.a, path)
	vb := pod_field_or_null(m.pair[1], m.b, path)
	value_of(va) != value_of(vb)
	finding := difference(m, "", sprintf("pod %s", [dotted(rel)]), va, vb)
	result := {"msg": finding.msg, "path": finding.place.path, "resource": finding.place.resource, "related": [finding.other]}
}

# The last named key of a path (`readOnlyRootFilesystem`, `drop` for capabilities.drop[0]).
field_name(rel) := [x | some x in rel; is_string(x)][count([x | some x in rel; is_string(x)]) - 1]

dotted(rel) := concat("", [step(i, x) | some i, x in rel])

step(0, x) := sprintf("%v", [x])

step(i, x) := sprintf(".%s", [x]) if {
	i > 0
	is_string(x)
}

step(i, x) := sprintf("[%v]", [x]) if {
	i > 0
	not is_string(x)
}

described(env, null) := sprintf("not set in %s", [env])

described(env, v) := sprintf("%s in %s (%s)", [show(v.value), env, file(v.resource)]) if v != null

# A value that differs: reported where an environment's own overlay sets it (the higher
# environment first), else at the higher environment's value.
difference(m, container, what, va, vb) := {
	"msg": sprintf("%s: %s is %s but %s", [label(m, container), what, described(m.pair[1], vb), described(m.pair[0], va)]),
	"place": place(m, va, vb),
	"other": other(m, what, va, vb),
}

place(m, va, vb) := {"resource": vb.resource, "path": vb.path} if {
	on_higher(m, va, vb)
} else := {"resource": va.resource, "path": va.path}

# Where a difference is reported: where the higher environment's own overlay sets it, else
# where the lower one's does, else on the higher environment's value if it has one.
on_higher(m, va, vb) if own(m.pair[1], vb)

on_higher(m, va, vb) if {
	not own(m.pair[0], va)
	vb != null
}

# The side a difference is not reported on, as a related place: its value where it is set,
# else the workload that lacks it.
other(m, what, va, vb) := side(m.pair[0], m.a, what, va) if on_higher(m, va, vb)

else := side(m.pair[1], m.b, what, vb)

side(env, r, what, v) := {"resource": v.resource, "path": v.path, "message": sprintf("%s: %s is %s", [env, what, show(v.value)])} if v != null

else := {"resource": r.id, "message": sprintf("%s: %s is not set", [env, what])}

own(env, v) if {
	v != null
	k.by_id[v.resource].environment == env
}
