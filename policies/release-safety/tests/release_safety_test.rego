package ward.release_safety_test

import data.ward.release_safety.flag_rolled_out
import data.ward.release_safety.flag_unreferenced
import data.ward.release_safety.k8s_production_rollout
import data.ward.release_safety.lib.kustomize
import data.ward.release_safety.lib.values
import data.ward.release_safety.production_image_immutable
import rego.v1

# --- image references ---------------------------------------------------------------------

test_image_reference_parts if {
	ref := "registry:5000/team/app:1.2@sha256:abc"
	kustomize.image_name(ref) == "registry:5000/team/app"
	kustomize.image_tag(ref) == "1.2"
	kustomize.image_digest(ref) == "sha256:abc"
}

test_registry_port_is_not_a_tag if {
	kustomize.image_name("registry:5000/team/app") == "registry:5000/team/app"
	kustomize.image_tag("registry:5000/team/app") == null
	kustomize.image_digest("registry:5000/team/app") == null
}

test_mutable_tags if {
	kustomize.mutable({"tag": null, "digest": null}, ["latest"])
	kustomize.mutable({"tag": "Latest", "digest": null}, ["latest"])
	not kustomize.mutable({"tag": "latest", "digest": "sha256:abc"}, ["latest"])
	not kustomize.mutable({"tag": "1.4.2", "digest": null}, ["latest"])
}

# --- leaves (walk) --------------------------------------------------------------------------

test_leaves_visit_nested_scalars if {
	leaves := values.leaves({"a": {"b": [1, "x"]}, "c": true})
	[["a", "b", 0], 1] in leaves
	[["a", "b", 1], "x"] in leaves
	[["c"], true] in leaves
	count(leaves) == 3
}

test_leaves_of_a_scalar if {
	values.leaves("x") == [[[], "x"]]
}

# --- REL-004: require_digest ----------------------------------------------------------------

pinned_by_tag_graph := {"resources": [{
	"id": "k8s:Kustomization@overlays/production",
	"kind": "kubernetes",
	"type": "Kustomization",
	"name": null,
	"path": "overlays/production/kustomization.yaml",
	"line": 1,
	"environment": "production",
	"labels": [],
	"value": {"images": [{"name": "registry.northwind.dev/api", "newTag": "1.4.2"}]},
}], "edges": []}

test_version_tag_passes_by_default if {
	results := production_image_immutable.deny with data.ward.graph as pinned_by_tag_graph
		with input.params as {"mutable_tags": ["latest"], "require_digest": false}
	count(results) == 0
}

test_version_tag_fails_when_a_digest_is_required if {
	results := production_image_immutable.deny with data.ward.graph as pinned_by_tag_graph
		with input.params as {"mutable_tags": ["latest"], "require_digest": true}
	count(results) == 1
	some result in results
	result.path == ["images", 0, "newTag"]
}

# --- REL-008: require_progress_deadline -----------------------------------------------------

production_deployment_graph := {"resources": [{
	"id": "k8s:Deployment/api@deploy/production",
	"kind": "kubernetes",
	"type": "Deployment",
	"name": "api",
	"path": "deploy/production/api.yaml",
	"line": 1,
	"environment": "production",
	"labels": [],
	# What the engine derives for a Deployment: where its pod spec would be (it has none).
	"workload": {"template": ["spec", "template"], "pod_spec": ["spec", "template", "spec"], "runs_to_completion": false, "containers": []},
	"value": {"kind": "Deployment", "spec": {"strategy": {"type": "RollingUpdate"}}},
}], "edges": []}

rollout_params(required) := {"require_progress_deadline": required, "max_progress_deadline_seconds": 1800}

test_progress_deadline_optional_by_default if {
	results := k8s_production_rollout.deny with data.ward.graph as production_deployment_graph
		with input.params as rollout_params(false)
	count(results) == 0
}

test_progress_deadline_required_when_asked if {
	results := k8s_production_rollout.deny with data.ward.graph as production_deployment_graph
		with input.params as rollout_params(true)
	count(results) == 1
}

# --- REL-009, REL-010: feature flags ---------------------------------------------------------

flag_resource(key, created) := {
	"id": sprintf("flag:%s@flags.yaml", [key]),
	"kind": "feature-flags",
	"type": "feature-flag",
	"name": key,
	"path": "flags.yaml",
	"line": 2,
	"environment": null,
	"labels": [],
	"value": {
		"key": key, "critical": false, "kill_switch": null, "is_kill_switch": false, "temporary": null,
		"created": created, "updated": null,
		"environments": [{"name": "production", "enabled": true, "rollout": 100, "targeted": false}],
	},
}

code_resource := {
	"id": "code:src/app.ts", "kind": "code", "type": "source-file", "name": null, "path": "src/app.ts",
	"line": 1, "environment": null, "labels": [], "value": {"language": "typescript", "env_reads": []},
}

test_rolled_out_flag_age_counts_from_the_today_param if {
	graph := {"resources": [flag_resource("a", "2024-01-01T00:00:00Z")], "edges": []}
	young := flag_rolled_out.deny with data.ward.graph as graph
		with input.params as {"flag_max_age_days": 90, "today": "2024-03-01"}
	count(young) == 0
	old := flag_rolled_out.deny with data.ward.graph as graph
		with input.params as {"flag_max_age_days": 90, "today": "2024-06-01"}
	count(old) == 1
}

test_rolled_out_flag_age_without_today_uses_the_clock if {
	graph := {"resources": [flag_resource("a", "2001-01-01T00:00:00Z")], "edges": []}
	results := flag_rolled_out.deny with data.ward.graph as graph
		with input.params as {"flag_max_age_days": 90, "today": ""}
	count(results) == 1
}

test_unreferenced_flags_are_judged_only_when_code_was_scanned if {
	no_code := {"resources": [flag_resource("a", null)], "edges": []}
	count(flag_unreferenced.deny) == 0 with data.ward.graph as no_code with input.params as {}
	with_code := {"resources": [flag_resource("a", null), code_resource], "edges": []}
	count(flag_unreferenced.deny) == 1 with data.ward.graph as with_code with input.params as {}
	used := {"resources": [flag_resource("a", null), code_resource], "edges": [{"from": "code:src/app.ts", "to": "flag:a@flags.yaml", "relation": "uses-flag"}]}
	count(flag_unreferenced.deny) == 0 with data.ward.graph as used with input.params as {}
}
