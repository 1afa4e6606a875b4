package ward.environment_parity_test

import data.ward.environment_parity.env_example_drift
import data.ward.environment_parity.k8s_image_drift
import data.ward.environment_parity.k8s_workload_drift
import data.ward.environment_parity.lib.parity
import data.ward.environment_parity.tfvars_drift
import rego.v1

words := ["production", "prod", "staging", "stg", "qa"]

params(extra) := object.union({
	"pairs": [["staging", "production"]],
	"intended": [],
	"environment_words": words,
	"env_templates": `(^|/)\.env\.example$`,
	"kubernetes_compare": ["replicas", "resource-limits", "probes", "security-context"],
	"mutable_tags": ["latest"],
	"compare_image_versions": false,
	"terraform_variables": ["multi_az", "engine_version"],
}, extra)

# --- paths ----------------------------------------------------------------------------------

test_paths_differing_by_environment_normalize_alike if {
	keys := {parity.normalize(p) |
		some p in [".env.staging", ".env.production"]
	} with input.params as params({})
	keys == {".env.*"}
}

test_directories_and_dashes_are_tokens if {
	parity.normalize("deploy/overlays/prod/api.yaml") == "deploy/overlays/*/api.yaml" with input.params as params({})
	parity.normalize("docker/stg/Dockerfile-stg") == "docker/*/Dockerfile-*" with input.params as params({})
}

test_words_inside_a_token_are_kept if {
	parity.normalize("services/products/Dockerfile.prod") == "services/products/Dockerfile.*" with input.params as params({})
}

# --- tfvars: intended and pairs -------------------------------------------------------------

tfvars(env, config) := {
	"id": sprintf("tf:tfvars@infra/%s.tfvars", [env]),
	"kind": "terraform",
	"type": "tfvars",
	"name": null,
	"path": sprintf("infra/%s.tfvars", [env]),
	"line": 1,
	"environment": env,
	"labels": [],
	"value": {"config": config, "expressions": {}},
}

tfvars_graph := {"resources": [
	tfvars("qa", {"db_multi_az": false}),
	tfvars("staging", {"db_multi_az": true, "db_instance_class": "db.t4g.medium"}),
	tfvars("production", {"db_multi_az": false, "db_instance_class": "db.r6g.large"}),
], "edges": []}

test_tfvars_drift_is_reported if {
	results := tfvars_drift.deny with data.ward.graph as tfvars_graph with input.params as params({})
	count(results) == 1
	some result in results
	result.resource == "tf:tfvars@infra/production.tfvars"
	result.path == ["config", "db_multi_az"]
	contains(result.msg, "false in production")
	contains(result.msg, "true in staging")
}

test_intended_difference_is_not_reported if {
	results := tfvars_drift.deny with data.ward.graph as tfvars_graph
		with input.params as params({"intended": ["db_multi_az"]})
	count(results) == 0
}

test_sizing_is_not_compared_by_default if {
	results := tfvars_drift.deny with data.ward.graph as tfvars_graph with input.params as params({})
	every result in results {
		not contains(result.msg, "db_instance_class")
	}
}

test_pairs_are_configurable if {
	results := tfvars_drift.deny with data.ward.graph as tfvars_graph
		with input.params as params({"pairs": [["qa", "staging"]]})
	count(results) == 1
	some result in results
	result.resource == "tf:tfvars@infra/staging.tfvars"
}

# --- env files: intended --------------------------------------------------------------------

dotenv(path, env, keys) := {
	"id": sprintf("env:%s", [path]),
	"kind": "dotenv",
	"type": "env-file",
	"name": null,
	"path": path,
	"line": 1,
	"environment": env,
	"labels": [],
	"value": {"entries": [{"key": k, "value": "", "line": i + 1} | some i, k in keys], "duplicates": []},
}

example_graph := {"resources": [
	dotenv(".env.example", null, ["A", "B"]),
	dotenv(".env.staging", "staging", ["A", "B"]),
	dotenv(".env.production", "production", ["A"]),
], "edges": []}

test_missing_documented_key_is_reported if {
	results := env_example_drift.deny with data.ward.graph as example_graph with input.params as params({})
	count(results) == 1
}

test_intended_key_is_not_reported if {
	results := env_example_drift.deny with data.ward.graph as example_graph
		with input.params as params({"intended": ["B"]})
	count(results) == 0
}

# --- kubernetes: intended and compare_image_versions ----------------------------------------

deployment(env, replicas, image, read_only) := {
	"id": sprintf("k8s:Deployment/api@deploy/%s", [env]),
	"kind": "kubernetes",
	"type": "Deployment",
	"name": "api",
	"path": sprintf("deploy/%s/api.yaml", [env]),
	"line": 1,
	"environment": env,
	"labels": [],
	# What the engine derives for a Deployment (where its pod spec and containers are).
	"workload": {"template": ["spec", "template"], "pod_spec": ["spec", "template", "spec"], "runs_to_completion": false, "containers": [{"name": "api", "group": "containers", "index": 0, "sidecar": false, "path": ["spec", "template", "spec", "containers", 0], "security": {}}]},
	"value": {"kind": "Deployment", "metadata": {"name": "api"}, "spec": {
		"replicas": replicas,
		"template": {"spec": {"containers": [{
			"name": "api",
			"image": image,
			"securityContext": {"readOnlyRootFilesystem": read_only},
		}]}},
	}},
}

k8s_graph := {"resources": [
	deployment("staging", 3, "registry.northwind.dev/api:1.5.0", true),
	deployment("production", 2, "registry.northwind.dev/api:1.4.0", false),
], "edges": []}

test_workload_drift_is_reported if {
	results := k8s_workload_drift.deny with data.ward.graph as k8s_graph with input.params as params({})
	count(results) == 2
}

test_workload_drift_intended_by_name if {
	results := k8s_workload_drift.deny with data.ward.graph as k8s_graph
		with input.params as params({"intended": ["replicas", "api:readOnlyRootFilesystem"]})
	count(results) == 0
}

test_workload_drift_only_compares_what_is_asked if {
	results := k8s_workload_drift.deny with data.ward.graph as k8s_graph
		with input.params as params({"kubernetes_compare": ["probes"]})
	count(results) == 0
}

test_promoted_version_is_not_drift if {
	results := k8s_image_drift.deny with data.ward.graph as k8s_graph with input.params as params({})
	count(results) == 0
}

test_versions_compared_when_asked if {
	results := k8s_image_drift.deny with data.ward.graph as k8s_graph
		with input.params as params({"compare_image_versions": true})
	count(results) == 1
}

test_production_ahead_of_staging_is_reported if {
	graph := {"resources": [
		deployment("staging", 3, "registry.northwind.dev/api:1.4.0", true),
		deployment("production", 3, "registry.northwind.dev/api:v1.5.0", true),
	], "edges": []}
	results := k8s_image_drift.deny with data.ward.graph as graph with input.params as params({})
	count(results) == 1
}
