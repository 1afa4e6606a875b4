package ward.production_readiness.required_settings_test

import rego.v1

import data.ward.production_readiness.required_settings

params := {
	"required": [
		{"name": "AUTH_REQUIRED", "value": "1"},
		{"name": "WEBHOOK_SECRET", "set": true},
		{"name": "RATE_LIMIT_PER_MINUTE", "set": true},
		{"name": "ENV", "value": ["production", "prod"]},
		{"name": "FEATURE_BETA", "value": "off", "when_set": true},
	],
	"environment_variables": [],
	"production_names": ["production"],
	"non_production_names": ["staging"],
}

entry(key, value) := {"key": key, "value": value, "quoted": false, "quote": null, "export": false, "line": 1, "references": []}

graph := {
	"resources": [
		{
			"id": "env:.env.production", "kind": "dotenv", "type": "env-file", "name": null,
			"path": ".env.production", "environment": "production", "labels": [],
			"value": {"entries": [entry("AUTH_REQUIRED", "0"), entry("WEBHOOK_SECRET", ""), entry("ENV", "Production")], "duplicates": []},
		},
		{
			"id": "compose:service/api@docker-compose.prod.yml", "kind": "compose", "type": "service", "name": "api",
			"path": "docker-compose.prod.yml", "environment": "production", "labels": [],
			"value": {"image": "ghcr.io/example/api:1.0.0", "environment": {"AUTH_REQUIRED": 1, "FEATURE_BETA": "on"}},
		},
		{
			"id": "k8s:Deployment/api@k8s/production", "kind": "kubernetes", "type": "Deployment", "name": "api",
			"path": "k8s/production/api.yaml", "environment": "production", "labels": [],
			"workload": {"template": ["spec", "template"], "pod_spec": ["spec", "template", "spec"], "runs_to_completion": false, "containers": [{"name": "api", "group": "containers", "index": 0, "sidecar": false, "path": ["spec", "template", "spec", "containers", 0], "security": {}}]},
			"value": {"kind": "Deployment", "spec": {"template": {"spec": {"containers": [{
				"name": "api",
				"env": [{"name": "AUTH_REQUIRED", "value": "1"}],
				"envFrom": [{"secretRef": {"name": "api-secrets"}}],
			}]}}}},
		},
		{
			"id": "k8s:Deployment/worker@k8s/production", "kind": "kubernetes", "type": "Deployment", "name": "worker",
			"path": "k8s/production/worker.yaml", "environment": "production", "labels": [],
			"workload": {"template": ["spec", "template"], "pod_spec": ["spec", "template", "spec"], "runs_to_completion": false, "containers": [{"name": "worker", "group": "containers", "index": 0, "sidecar": false, "path": ["spec", "template", "spec", "containers", 0], "security": {}}]},
			"value": {"kind": "Deployment", "spec": {"template": {"spec": {"containers": [{"name": "worker"}]}}}},
		},
		{
			"id": "env:.env.staging", "kind": "dotenv", "type": "env-file", "name": null,
			"path": ".env.staging", "environment": "staging", "labels": [],
			"value": {"entries": [entry("AUTH_REQUIRED", "0")], "duplicates": []},
		},
	],
	"edges": [{"from": "compose:service/api@docker-compose.prod.yml", "to": "env:.env.production", "relation": "loads-env"}],
	"documents": [],
}

results := found if {
	found := required_settings.deny with data.ward.graph as graph with input as {"params": params}
}

messages := {result.msg | some result in results}

test_wrong_value_is_reported_at_the_value if {
	some result in results
	result.msg == "AUTH_REQUIRED must be set to 1 in production, in env file .env.production"
	result.path == ["entries", 0, "value"]
	result.resource == "env:.env.production"
}

test_accepted_values_compare_case_insensitively if {
	not "ENV must be set to prod or production in production, in env file .env.production" in messages
}

test_empty_value_is_reported if {
	"WEBHOOK_SECRET is empty in production, in env file .env.production" in messages
}

test_missing_in_env_file_is_reported_at_the_file if {
	some result in results
	result.msg == "env file .env.production does not set RATE_LIMIT_PER_MINUTE in production (it must be set)"
	result.path == []
}

test_compose_service_counts_its_env_files if {
	"compose service api does not set RATE_LIMIT_PER_MINUTE in production (it must be set)" in messages
	not "compose service api does not set WEBHOOK_SECRET in production (it must be set)" in messages
}

test_when_set_checks_only_where_set if {
	"FEATURE_BETA must be set to off in production, in compose service api" in messages
	count({msg | some msg in messages; contains(msg, "does not set FEATURE_BETA")}) == 0
}

test_opaque_secret_may_hold_set_entries_but_not_values if {
	not "Deployment api does not set WEBHOOK_SECRET in production (it must be set)" in messages
	"Deployment api does not set ENV in production (it must be set to prod or production)" in messages
}

test_workload_without_anything_misses_everything if {
	count({msg | some msg in messages; startswith(msg, "Deployment worker does not set")}) == 4
}

test_staging_is_not_checked if {
	count({msg | some msg in messages; contains(msg, ".env.staging")}) == 0
}

test_total if {
	count(results) == 10
}

test_no_requirements_no_findings if {
	none := required_settings.deny with data.ward.graph as graph
		with input as {"params": object.union(params, {"required": []})}
	count(none) == 0
}

# Keys a workload gets from Secrets and generators the repository shows.
sources_graph := {
	"resources": [
		{
			"id": "k8s:Deployment/billing@k8s/base", "kind": "kubernetes", "type": "Deployment", "name": "billing",
			"path": "k8s/base/billing.yaml", "environment": null, "labels": [],
			"workload": {"template": ["spec", "template"], "pod_spec": ["spec", "template", "spec"], "runs_to_completion": false, "containers": [{"name": "billing", "group": "containers", "index": 0, "sidecar": false, "path": ["spec", "template", "spec", "containers", 0], "security": {}}]},
			"value": {"kind": "Deployment", "spec": {"template": {"spec": {"containers": [{
				"name": "billing",
				"envFrom": [
					{"secretRef": {"name": "billing-secrets"}},
					{"secretRef": {"name": "limits"}, "prefix": "RATE_"},
					{"configMapRef": {"name": "billing-config"}},
				],
			}]}}}},
		},
		{
			"id": "k8s:ExternalSecret/billing@k8s/base", "kind": "kubernetes", "type": "ExternalSecret", "name": "billing",
			"path": "k8s/base/secrets.yaml", "environment": null, "labels": [],
			"value": {"spec": {"target": {"name": "billing-secrets"}, "data": [{"secretKey": "WEBHOOK_SECRET", "remoteRef": {"key": "billing/webhook"}}]}},
		},
		{
			"id": "k8s:Secret/limits@k8s/base", "kind": "kubernetes", "type": "Secret", "name": "limits",
			"path": "k8s/base/secrets.yaml", "environment": null, "labels": [],
			"value": {"stringData": {"LIMIT_PER_MINUTE": "600"}},
		},
		{
			"id": "k8s:Kustomization@k8s/base", "kind": "kubernetes", "type": "Kustomization", "name": null,
			"path": "k8s/base/kustomization.yaml", "environment": null, "labels": [],
			"value": {"resources": ["billing.yaml", "secrets.yaml"], "configMapGenerator": [{"name": "billing-config", "envs": ["billing.env"]}]},
		},
		{
			"id": "env:k8s/base/billing.env", "kind": "dotenv", "type": "env-file", "name": null,
			"path": "k8s/base/billing.env", "environment": null, "labels": [],
			"value": {"entries": [entry("ENV", "production")], "duplicates": []},
		},
		{
			"id": "k8s:Kustomization@k8s/production", "kind": "kubernetes", "type": "Kustomization", "name": null,
			"path": "k8s/production/kustomization.yaml", "environment": "production", "labels": [],
			"value": {"resources": ["../base"]},
		},
		{
			"id": "compose:service/api@compose.prod.yaml", "kind": "compose", "type": "service", "name": "api",
			"path": "compose.prod.yaml", "environment": "production", "labels": [],
			"value": {"environment": ["AUTH_REQUIRED=yes", "WEBHOOK_SECRET", "ENV=prod", "RATE_LIMIT_PER_MINUTE=60"]},
		},
	],
	"edges": [
		{"from": "k8s:Kustomization@k8s/production", "to": "k8s:Kustomization@k8s/base", "relation": "includes"},
		{"from": "k8s:Kustomization@k8s/base", "to": "k8s:Deployment/billing@k8s/base", "relation": "includes"},
		{"from": "k8s:Kustomization@k8s/base", "to": "k8s:ExternalSecret/billing@k8s/base", "relation": "includes"},
		{"from": "k8s:Kustomization@k8s/base", "to": "k8s:Secret/limits@k8s/base", "relation": "includes"},
		{"from": "k8s:Kustomization@k8s/base", "to": "env:k8s/base/billing.env", "relation": "loads-env"},
	],
	"documents": [],
}

sources_messages := {result.msg |
	found := required_settings.deny with data.ward.graph as sources_graph with input as {"params": params}
	some result in found
}

test_secret_and_generator_keys_count_as_set if {
	not "Deployment billing (from k8s/base/billing.yaml) does not set WEBHOOK_SECRET in production (it must be set)" in sources_messages
	not "Deployment billing (from k8s/base/billing.yaml) does not set RATE_LIMIT_PER_MINUTE in production (it must be set)" in sources_messages
	not "Deployment billing (from k8s/base/billing.yaml) does not set ENV in production (it must be set to prod or production)" in sources_messages
	"Deployment billing (from k8s/base/billing.yaml) does not set AUTH_REQUIRED in production (it must be set to 1)" in sources_messages
}

test_compose_list_environment if {
	"AUTH_REQUIRED must be set to 1 in production, in compose service api" in sources_messages
	# `- WEBHOOK_SECRET` passes the variable through from the shell: set, value unknown.
	not "WEBHOOK_SECRET is empty in production, in compose service api" in sources_messages
	not "compose service api does not set WEBHOOK_SECRET in production (it must be set)" in sources_messages
}

test_sources_total if {
	count(sources_messages) == 2
}
