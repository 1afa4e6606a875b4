# Every environment variable name the repository's deployment configuration defines, whatever
# the environment: env files, Kubernetes container `env:` and the keys of ConfigMaps, Secrets,
# ExternalSecrets and kustomize generators, Compose `environment:`, Dockerfile `ENV`, and
# workflow, job and step `env:` of GitHub Actions workflows. Read by ENV-007, which compares
# them with the variables the code reads.
package ward.environment_parity.lib.definitions

import rego.v1

resources := data.ward.graph.resources

list(x) := x if is_array(x)

else := []

map(x) := x if is_object(x)

else := {}

# `KEY=value` or `KEY` → KEY.
assignment_key(item) := substring(item, 0, indexof(item, "=")) if {
	is_string(item)
	indexof(item, "=") > 0
} else := item if {
	is_string(item)
	not contains(item, "=")
}

# The kinds of file that define variables: with none of them in the scan, nothing can be
# said about what is undefined.
sources := {r.id | some r in resources; r.kind in {"dotenv", "kubernetes", "compose", "dockerfile"}}

defined contains entry.key if {
	some r in resources
	r.kind == "dotenv"
	some entry in list(r.value.entries)
}

defined contains item.name if {
	some r in resources
	r.kind == "kubernetes"
	# The engine's facts give every container of every workload kind, wherever it is.
	spec := object.get(r.value, r.workload.pod_spec, {})
	some fact in r.workload.containers
	container := spec[fact.group][fact.index]
	some item in list(object.get(container, "env", []))
	is_string(item.name)
}

defined contains key if {
	some r in resources
	r.kind == "kubernetes"
	r.type in {"ConfigMap", "Secret"}
	some field in ["data", "stringData", "binaryData"]
	some key, _ in map(object.get(r.value, field, {}))
}

defined contains item.secretKey if {
	some r in resources
	r.kind == "kubernetes"
	r.type == "ExternalSecret"
	some item in list(object.get(r.value, ["spec", "data"], []))
	is_string(item.secretKey)
}

defined contains key if {
	some r in resources
	r.kind == "kubernetes"
	r.type == "Kustomization"
	some generator in array.concat(list(object.get(r.value, "configMapGenerator", [])), list(object.get(r.value, "secretGenerator", [])))
	some literal in list(object.get(generator, "literals", []))
	key := assignment_key(literal)
}

defined contains key if {
	some r in resources
	r.kind == "compose"
	some key, _ in map(object.get(r.value, "environment", {}))
}

defined contains key if {
	some r in resources
	r.kind == "compose"
	some item in list(object.get(r.value, "environment", []))
	key := assignment_key(item)
}

defined contains pair.key if {
	some r in resources
	r.kind == "dockerfile"
	some stage in list(object.get(r.value, "stages", []))
	some instruction in list(object.get(stage, "instructions", []))
	instruction.cmd == "env"
	some pair in list(object.get(instruction, "pairs", []))
}

# Workflow-, job- and step-level `env:`.
defined contains key if {
	some r in resources
	r.kind == "github-workflow"
	some key, _ in map(object.get(r.value, "env", {}))
}

defined contains key if {
	some r in resources
	r.kind == "github-workflow"
	some job in map(object.get(r.value, "jobs", {}))
	some key, _ in map(object.get(job, "env", {}))
}

defined contains key if {
	some r in resources
	r.kind == "github-workflow"
	some job in map(object.get(r.value, "jobs", {}))
	some step in list(object.get(job, "steps", []))
	some key, _ in map(object.get(step, "env", {}))
}
