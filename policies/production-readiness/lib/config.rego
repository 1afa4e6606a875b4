# What production runs with, gathered from the whole graph for the production-readiness rules:
# `settings`, every KEY=value a production deployment gets, each at the exact value in its
# file — production env files, production Compose services' `environment:`, production
# Kubernetes ConfigMaps, container `env:` and kustomize `configMapGenerator` literals, and the
# base objects a production kustomize overlay renders (unless a production patch or generator
# sets the same key). Kustomize patches are included: per-resource rules never see them.
#
# Everything is indexed once (partial objects keyed by id) so that the work grows with the size
# of the graph, not with its square. regorus is built without `graph.reachable`: the kustomize
# `includes` closure is unrolled. Units ("is it set at all") live in `units.rego`, a separate
# package, so that rules reading only settings do not evaluate them.
package ward.production_readiness.lib

import rego.v1

resources := data.ward.graph.resources

edges := data.ward.graph.edges

by_id := {r.id: r | some r in resources}

# Where a workload keeps its pod spec: the engine derives it for every workload kind
# (`workload` on the graph's resources).
pod_spec_path(r) := r.workload.pod_spec

patch(r) if "patch" in r.labels

text(value) := value if is_string(value)

text(value) := sprintf("%v", [value]) if {
	not is_string(value)
	value != null
}

split_assignment(item) := [substring(item, 0, i), substring(item, i + 1, -1)] if {
	i := indexof(item, "=")
	i > 0
}

# --- edges, indexed ------------------------------------------------------------------------

includes_from[e.from] contains e.to if {
	some e in edges
	e.relation == "includes"
}

# Patched id -> the ids of its production patches.
production_patches_of[e.to] contains e.from if {
	some e in edges
	e.relation == "patches"
	by_id[e.from].environment == "production"
}

production_patches(id) := {by_id[p] | some p in production_patches_of[id]}

loads_env[e.from] contains e.to if {
	some e in edges
	e.relation == "loads-env"
}

built_from_of[e.from] contains e.to if {
	some e in edges
	e.relation == "built-from"
}

# Lookups in the indexes: a partial object with no entry for a key (or no entries at all) is
# undefined there, so each lookup says what "none" is.
built_from(id) := built_from_of[id]

built_from(id) := set() if not built_from_of[id]

loaded_env(id) := loads_env[id]

loaded_env(id) := set() if not loads_env[id]

includes(id) := includes_from[id]

includes(id) := set() if not includes_from[id]

rendered_by(id) := rendered[id]

rendered_by(id) := set() if not rendered[id]

# --- kustomize: what a production overlay renders ------------------------------------------

production_overlays := {r.id | some r in resources; r.type == "Kustomization"; r.environment == "production"}

included(ids) := {to | some id in ids; some to in includes(id)}

expand(ids) := ids | included(ids)

# Everything `root` renders, directly or through included kustomizations (8 levels).
renders(root) := s8 if {
	s1 := included({root})
	s2 := expand(s1)
	s3 := expand(s2)
	s4 := expand(s3)
	s5 := expand(s4)
	s6 := expand(s5)
	s7 := expand(s6)
	s8 := expand(s7)
}

# Objects that are not production themselves but that a production overlay renders:
# id -> the overlays.
rendered[id] contains root if {
	some root in production_overlays
	some id in renders(root)
	r := by_id[id]
	r.environment != "production"
	not patch(r)
}

# Resources whose settings production gets.
relevant_ids := {r.id | some r in resources; r.environment == "production"} | {id | some id, _ in rendered}

relevant := [r | some r in resources; relevant_ids[r.id]]

# How production gets a resource's settings: null when the resource is production itself,
# else each production overlay that renders it.
overlays_of(r) := {null} if r.environment == "production"

overlays_of(r) := rendered_by(r.id) if r.environment != "production"

# --- production settings: {resource, path, key, value, container, overlay} -----------------
#
# `settings_with(wanted)` is every value production gets for a key in `wanted`; `setting_keys`
# the keys production gets at all. A rule asks only for the keys it checks: building an object
# for every value of every env file and ConfigMap would cost more than all the checks. A base
# value is left out when a production patch or generator of the overlay sets the same key.

setting_keys := ((((
	{entry.key | some r in relevant; r.kind == "dotenv"; some entry in r.value.entries}
	| {key | some r in relevant; r.kind == "compose"; is_object(r.value.environment); some key, _ in r.value.environment})
	| {key | some r in relevant; r.kind == "compose"; is_array(r.value.environment); some item in r.value.environment; [key, _] := split_assignment(item)})
	| {key | some r in relevant; r.type == "ConfigMap"; is_object(r.value.data); some key, _ in r.value.data})
	| {env.name | some r in relevant; some env in container_env(r)})
	| {key | some r in relevant; r.type == "Kustomization"; some generator in object.get(r.value, "configMapGenerator", []); some literal in object.get(generator, "literals", []); [key, _] := split_assignment(literal)}

container_env(r) := [env |
	r.kind == "kubernetes"
	spec := object.get(r.value, pod_spec_path(r), {})
	some group in ["containers", "initContainers"]
	some container in object.get(spec, group, [])
	some env in object.get(container, "env", [])
]

settings_with(wanted) := (((((
	env_file_settings(wanted)
	| compose_map_settings(wanted))
	| compose_list_settings(wanted))
	| config_map_settings(wanted))
	| container_settings(wanted))
	| generator_settings(wanted))

env_file_settings(wanted) := {{"resource": r.id, "path": ["entries", i, "value"], "key": entry.key, "value": entry.value, "container": null, "overlay": overlay} |
	some r in relevant
	r.kind == "dotenv"
	some i, entry in r.value.entries
	entry.key in wanted
	some overlay in overlays_of(r)
}

compose_map_settings(wanted) := {{"resource": r.id, "path": ["environment", key], "key": key, "value": text(value), "container": null, "overlay": overlay} |
	some r in relevant
	r.kind == "compose"
	is_object(r.value.environment)
	some key, value in r.value.environment
	key in wanted
	value != null
	some overlay in overlays_of(r)
}

compose_list_settings(wanted) := {{"resource": r.id, "path": ["environment", i], "key": key, "value": value, "container": null, "overlay": overlay} |
	some r in relevant
	r.kind == "compose"
	is_array(r.value.environment)
	some i, item in r.value.environment
	is_string(item)
	[key, value] := split_assignment(item)
	key in wanted
	some overlay in overlays_of(r)
}

config_map_settings(wanted) := {{"resource": r.id, "path": ["data", key], "key": key, "value": text(value), "container": null, "overlay": overlay} |
	some r in relevant
	r.type == "ConfigMap"
	is_object(r.value.data)
	some key, value in r.value.data
	key in wanted
	value != null
	some overlay in overlays_of(r)
	not patched_data(overlay, r.id, key)
}

container_settings(wanted) := {{"resource": r.id, "path": array.concat(spec_path, [group, c, "env", j, "value"]), "key": env.name, "value": text(env.value), "container": container.name, "overlay": overlay} |
	some r in relevant
	r.kind == "kubernetes"
	spec_path := pod_spec_path(r)
	spec := object.get(r.value, spec_path, {})
	some group in ["containers", "initContainers"]
	some c, container in object.get(spec, group, [])
	some j, env in object.get(container, "env", [])
	env.name in wanted
	"value" in object.keys(env)
	env.value != null
	some overlay in overlays_of(r)
	not patched_env(overlay, r.id, container.name, env.name)
}

generator_settings(wanted) := {{"resource": r.id, "path": ["configMapGenerator", g, "literals", l], "key": key, "value": value, "container": null, "overlay": overlay} |
	some r in relevant
	r.type == "Kustomization"
	some g, generator in object.get(r.value, "configMapGenerator", [])
	some l, literal in object.get(generator, "literals", [])
	is_string(literal)
	[key, value] := split_assignment(literal)
	key in wanted
	some overlay in overlays_of(r)
	not generated(overlay, object.get(generator, "name", ""), key)
}

# [patched id, key]: ConfigMap data set by a production patch.
patch_data contains [target, key] if {
	some target, ids in production_patches_of
	some id in ids
	by_id[id].type == "ConfigMap"
	some key, _ in object.get(by_id[id].value, "data", {})
}

# [patched id, container, key]: container env set by a production patch.
patch_env contains [target, container.name, env.name] if {
	some target, ids in production_patches_of
	some id in ids
	p := by_id[id]
	some container in object.get(p.value, array.concat(pod_spec_path(p), ["containers"]), [])
	some env in object.get(container, "env", [])
}

# [generator name, key]: literals of production kustomizations' generators.
production_generator_literals contains [generator.name, key] if {
	some id in production_overlays
	some generator in object.get(by_id[id].value, "configMapGenerator", [])
	some literal in object.get(generator, "literals", [])
	[key, _] := split_assignment(literal)
}

patched_data(overlay, id, key) if {
	overlay != null
	[id, key] in patch_data
}

patched_env(overlay, id, container, key) if {
	overlay != null
	[id, container, key] in patch_env
}

generated(overlay, name, key) if {
	overlay != null
	[name, key] in production_generator_literals
}

# How a message names where a setting is: `env file .env.production`, or for a base object
# `ConfigMap shop-config (rendered by the production overlay deploy/k8s/overlays/production)`.
describe(s) := where(s) if s.overlay == null

describe(s) := sprintf("%s (rendered by the production overlay %s)", [where(s), overlay_dir(s.overlay)]) if s.overlay != null

where(s) := sprintf("env file %s", [r.path]) if {
	r := by_id[s.resource]
	r.kind == "dotenv"
}

where(s) := sprintf("compose service %s", [r.name]) if {
	r := by_id[s.resource]
	r.kind == "compose"
}

where(s) := sprintf("ConfigMap %s", [r.name]) if {
	r := by_id[s.resource]
	r.type == "ConfigMap"
}

where(s) := sprintf("%s %s, container %s", [r.type, r.name, s.container]) if {
	r := by_id[s.resource]
	s.container != null
}

where(s) := sprintf("configMapGenerator %s", [object.get(r.value, ["configMapGenerator", s.path[1], "name"], "")]) if {
	r := by_id[s.resource]
	r.type == "Kustomization"
}

overlay_dir(id) := dir if {
	parts := split(by_id[id].path, "/")
	dir := concat("/", array.slice(parts, 0, count(parts) - 1))
}

# The keys production gets that match `patterns` (matched once per key, not once per value).
matching_keys(patterns) := {key | some key in setting_keys; matches_any(key, patterns)}

# Whether `name` matches one of the `patterns`, case-insensitively: a name, or a name with a
# `*` at its start and/or end (`*_DEBUG`, `LOGGING_LEVEL_*`). Plain string tests: regorus's
# glob.match compiles its pattern on every call, which costs more than the rest of a rule.
matches_any(name, patterns) if {
	some pattern in patterns
	matches(upper(name), upper(pattern))
}

matches(name, pattern) if {
	not contains(pattern, "*")
	name == pattern
}

matches(name, pattern) if {
	startswith(pattern, "*")
	not endswith(pattern, "*")
	endswith(name, trim_prefix(pattern, "*"))
}

matches(name, pattern) if {
	endswith(pattern, "*")
	not startswith(pattern, "*")
	startswith(name, trim_suffix(pattern, "*"))
}

matches(name, pattern) if {
	startswith(pattern, "*")
	endswith(pattern, "*")
	count(pattern) > 1
	contains(name, trim(pattern, "*"))
}
