# What one production process starts with, for "is it set at all" checks (RDY-001, RDY-004):
# each production env file, each production Compose service (its `environment:` and the env
# files of its `env_file:`), and each production Kubernetes workload (its containers' `env`,
# the ConfigMaps, generators and Secrets of its `envFrom`, and the production patches of all
# of these) — for a base workload that a production kustomize overlay renders, reported at
# that overlay. A unit: {resource, path, label, keys, opaque, images, dockerfiles}.
package ward.production_readiness.units

import rego.v1

import data.ward.production_readiness.lib

resources := lib.resources

by_id := lib.by_id

# Production env files.
units contains {"resource": r.id, "path": [], "label": sprintf("env file %s", [r.path]), "keys": keys, "opaque": false, "images": set(), "dockerfiles": set()} if {
	some r in resources
	r.kind == "dotenv"
	r.environment == "production"
	keys := {entry.key | some entry in r.value.entries}
}

# Production Compose services.
units contains {"resource": r.id, "path": compose_path(r), "label": sprintf("compose service %s", [r.name]), "keys": keys, "opaque": false, "images": images, "dockerfiles": lib.built_from(r.id)} if {
	some r in resources
	r.kind == "compose"
	r.environment == "production"
	loaded := {entry.key |
		some id in lib.loaded_env(r.id)
		some entry in by_id[id].value.entries
	}
	keys := (compose_keys(r) | passed_through(r)) | loaded
	images := {image | image := r.value.image; is_string(image)}
}

compose_keys(r) := {key | some key, value in r.value.environment; value != null} if is_object(r.value.environment)

compose_keys(r) := {key |
	some item in r.value.environment
	[key, _] := lib.split_assignment(item)
} if is_array(r.value.environment)

compose_keys(r) := set() if {
	not is_object(r.value.environment)
	not is_array(r.value.environment)
}

# Variables a Compose service takes from the shell that runs it (`- NAME`, `NAME:`): set, to
# a value the repository cannot show.
passed_through(r) := {item |
	is_array(r.value.environment)
	some item in r.value.environment
	is_string(item)
	not contains(item, "=")
} | {key |
	is_object(r.value.environment)
	some key, value in r.value.environment
	value == null
}

compose_path(r) := ["environment"] if r.value.environment

compose_path(r) := [] if not r.value.environment

# Production workloads, each with the resource and path a finding about it goes to: the
# workload's first container, or for a base workload the production overlay that renders it.
workloads contains {"workload": r, "resource": r.id, "path": array.concat(lib.pod_spec_path(r), ["containers", 0]), "label": sprintf("%s %s", [r.type, r.name])} if {
	some r in resources
	r.kind == "kubernetes"
	r.workload
	r.environment == "production"
	not lib.patch(r)
}

workloads contains {"workload": r, "resource": root, "path": [], "label": sprintf("%s %s (from %s)", [r.type, r.name, r.path])} if {
	some id, roots in lib.rendered
	r := by_id[id]
	r.workload
	some root in roots
}

units contains {"resource": w.resource, "path": w.path, "label": w.label, "keys": keys, "opaque": opaque, "images": images, "dockerfiles": lib.built_from(w.workload.id)} if {
	some w in workloads
	sources := {w.workload} | lib.production_patches(w.workload.id)
	containers := [c | some s in sources; some c in object.get(s.value, array.concat(lib.pod_spec_path(w.workload), ["containers"]), [])]
	env_names := {env.name | some c in containers; some env in object.get(c, "env", [])}
	from_config_maps := {concat("", [object.get(ref, "prefix", ""), key]) |
		some c in containers
		some ref in object.get(c, "envFrom", [])
		some key in config_map_keys[ref.configMapRef.name]
	}
	from_secrets := {concat("", [object.get(ref, "prefix", ""), key]) |
		some c in containers
		some ref in object.get(c, "envFrom", [])
		some key in secret_keys[ref.secretRef.name]
	}
	opaque := count({name |
		some c in containers
		some ref in object.get(c, "envFrom", [])
		name := ref.secretRef.name
		opaque_secret(name)
	}) > 0
	keys := (env_names | from_config_maps) | from_secrets
	images := {c.image | some c in containers; is_string(c.image)}
}

# --- keys of ConfigMaps and Secrets, by name (production and environment-neutral objects) ---

visible(r) if r.environment in {"production", null}

config_map_keys[r.name] contains key if {
	some r in resources
	r.type == "ConfigMap"
	visible(r)
	some key, _ in object.get(r.value, "data", {})
}

config_map_keys[r.name] contains key if {
	some r in resources
	r.type == "ConfigMap"
	visible(r)
	some p in lib.production_patches(r.id)
	some key, _ in object.get(p.value, "data", {})
}

config_map_keys[generator.name] contains key if {
	some k in resources
	k.type == "Kustomization"
	visible(k)
	some generator in object.get(k.value, "configMapGenerator", [])
	some literal in object.get(generator, "literals", [])
	[key, _] := lib.split_assignment(literal)
}

# The graph links a generator's env files to its kustomization, not to the generator.
config_map_keys[generator.name] contains entry.key if {
	some k in resources
	k.type == "Kustomization"
	visible(k)
	some generator in object.get(k.value, "configMapGenerator", [])
	count(object.get(generator, "envs", [])) + count(object.get(generator, "env", "")) > 0
	some id in lib.loaded_env(k.id)
	some entry in by_id[id].value.entries
}

secret_keys[r.name] contains key if {
	some r in resources
	r.type == "Secret"
	visible(r)
	some field in ["data", "stringData"]
	some key, _ in object.get(r.value, field, {})
}

secret_keys[r.name] contains key if {
	some r in resources
	r.type == "SealedSecret"
	visible(r)
	some key, _ in object.get(r.value, ["spec", "encryptedData"], {})
}

secret_keys[name] contains item.secretKey if {
	some r in external_secrets
	name := external_target(r)
	some item in object.get(r.value, ["spec", "data"], [])
}

external_secrets := [r | some r in resources; r.type == "ExternalSecret"; visible(r)]

external_target(r) := object.get(r.value, ["spec", "target", "name"], r.name)

secret_names := {r.name | some r in resources; r.type in {"Secret", "SealedSecret"}; visible(r)} | {external_target(r) | some r in external_secrets}

# Secrets whose keys cannot be known from the repository: not in it at all, or an
# ExternalSecret that extracts a whole remote secret (`dataFrom`).
extracting := {external_target(r) | some r in external_secrets; count(object.get(r.value, ["spec", "dataFrom"], [])) > 0}

opaque_secret(name) if not name in secret_names

opaque_secret(name) if name in extracting
