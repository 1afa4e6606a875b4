package ward.container_test

import rego.v1

import data.lib.container
import data.ward.container.base_image_digest
import data.ward.container.non_root_user
import data.ward.container.secrets_in_env_arg

params := {
	"require_digest_everywhere": false,
	"non_root_base_images": [],
	"secret_names": ["TOKEN", "PASSWORD"],
	"secret_name_exceptions": ["_FILE$"],
}

graph := {"resources": [], "edges": [], "index": {"environments_reached": {}, "edges_to": {}, "resources_by_id": {}}}

stage(index, image, tag, digest, instructions) := {
	"index": index, "name": null, "line": index + 1,
	"from": {"image": image, "registry": null, "repository": image, "tag": tag, "digest": digest, "platform": null, "stage": null, "has_variables": false},
	"parent": null,
	"base": {"image": image, "registry": null, "repository": image, "tag": tag, "digest": digest},
	"copies_from": [],
	"instructions": instructions,
}

# A Dockerfile of one stage, as the parser lays it out.
dockerfile(stage) := {"directives": {}, "global_args": [], "stages": [stage], "final": {"stage": 0, "chain": [0], "copied_from": []}}

tagged := dockerfile(stage(0, "python:3.12-slim", "3.12-slim", null, []))

test_digest_not_required_outside_production if {
	count(base_image_digest.deny) == 0 with input as {"object": tagged, "meta": {"id": "docker:Dockerfile", "environment": "staging"}, "params": params}
		with data.ward.graph as graph
}

test_digest_required_in_production if {
	count(base_image_digest.deny) == 1 with input as {"object": tagged, "meta": {"id": "docker:Dockerfile", "environment": "production"}, "params": params}
		with data.ward.graph as graph
}

test_digest_required_everywhere_by_param if {
	everywhere := object.union(params, {"require_digest_everywhere": true})
	count(base_image_digest.deny) == 1 with input as {"object": tagged, "meta": {"id": "docker:Dockerfile", "environment": null}, "params": everywhere}
		with data.ward.graph as graph
}

test_digest_required_when_a_production_workload_runs_the_image if {
	g := {
		"resources": [{"id": "k8s:Deployment/api@deploy/prod", "environment": "production"}],
		"edges": [{"from": "k8s:Deployment/api@deploy/prod", "to": "docker:Dockerfile", "relation": "built-from"}],
		# What the engine derives from the edge above (graph/index.rs).
		"index": {"environments_reached": {"docker:Dockerfile": ["production"], "k8s:Deployment/api@deploy/prod": ["production"]}},
	}
	count(base_image_digest.deny) == 1 with input as {"object": tagged, "meta": {"id": "docker:Dockerfile", "environment": null}, "params": params}
		with data.ward.graph as g
}

test_user_with_group_zero_is_not_root if {
	doc := dockerfile(stage(0, "alpine:3.20", "3.20", null, [{"cmd": "user", "line": 2, "end_line": 2, "flags": [], "form": "shell", "args": ["10001:0"], "heredocs": []}]))
	count(non_root_user.deny) == 0 with input as {"object": doc, "meta": {}, "params": params}
}

test_secret_references_and_file_variables_are_fine if {
	env := {"cmd": "env", "line": 2, "end_line": 2, "flags": [], "form": "shell", "args": [], "heredocs": [], "pairs": [
		{"key": "API_TOKEN", "value": "${API_TOKEN}"},
		{"key": "DB_PASSWORD", "value": "$DB_PASSWORD"},
		{"key": "DB_PASSWORD_FILE", "value": "/run/secrets/db"},
		{"key": "EMPTY_TOKEN", "value": ""},
	]}
	doc := dockerfile(stage(0, "alpine:3.20", "3.20", null, [env]))
	count(secrets_in_env_arg.deny) == 0 with input as {"object": doc, "meta": {}, "params": params}
}

test_secret_message_never_contains_the_value if {
	env := {"cmd": "env", "line": 2, "end_line": 2, "flags": [], "form": "shell", "args": [], "heredocs": [], "pairs": [{"key": "API_TOKEN", "value": "example-only-value"}]}
	doc := dockerfile(stage(0, "alpine:3.20", "3.20", null, [env]))
	results := secrets_in_env_arg.deny with input as {"object": doc, "meta": {}, "params": params}
	count(results) == 1
	every result in results {
		not contains(result.msg, "example-only-value")
	}
}
