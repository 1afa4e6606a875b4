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
	"instructions": instructions,
}

run(text) := {"cmd": "run", "line": 2, "end_line": 2, "flags": [], "form": "shell", "args": [text], "heredocs": []}

tagged := {"directives": {}, "global_args": [], "stages": [stage(0, "python:3.12-slim", "3.12-slim", null, [])]}

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
	dockerfile := {"directives": {}, "global_args": [], "stages": [stage(0, "alpine:3.20", "3.20", null, [{"cmd": "user", "line": 2, "end_line": 2, "flags": [], "form": "shell", "args": ["10001:0"], "heredocs": []}])]}
	count(non_root_user.deny) == 0 with input as {"object": dockerfile, "meta": {}, "params": params}
}

test_secret_references_and_file_variables_are_fine if {
	env := {"cmd": "env", "line": 2, "end_line": 2, "flags": [], "form": "shell", "args": [], "heredocs": [], "pairs": [
		{"key": "API_TOKEN", "value": "${API_TOKEN}"},
		{"key": "DB_PASSWORD", "value": "$DB_PASSWORD"},
		{"key": "DB_PASSWORD_FILE", "value": "/run/secrets/db"},
		{"key": "EMPTY_TOKEN", "value": ""},
	]}
	dockerfile := {"directives": {}, "global_args": [], "stages": [stage(0, "alpine:3.20", "3.20", null, [env])]}
	count(secrets_in_env_arg.deny) == 0 with input as {"object": dockerfile, "meta": {}, "params": params}
}

test_secret_message_never_contains_the_value if {
	env := {"cmd": "env", "line": 2, "end_line": 2, "flags": [], "form": "shell", "args": [], "heredocs": [], "pairs": [{"key": "API_TOKEN", "value": "example-only-value"}]}
	dockerfile := {"directives": {}, "global_args": [], "stages": [stage(0, "alpine:3.20", "3.20", null, [env])]}
	results := secrets_in_env_arg.deny with input as {"object": dockerfile, "meta": {}, "params": params}
	count(results) == 1
	every result in results {
		not contains(result.msg, "example-only-value")
	}
}

test_invocations_split_options_values_and_packages if {
	[inv] := container.invocations("DEBIAN_FRONTEND=noninteractive apt-get -o Dpkg::Options::=--force-confold -y install --no-install-recommends curl=8 git > /dev/null")
	inv.manager == "apt"
	inv.subcommand == "install"
	inv.packages == ["curl=8", "git"]
	container.has_option(inv, "--no-install-recommends")
}

test_invocations_find_pip_behind_python_m if {
	[inv] := container.invocations("python3 -m pip install -r requirements.txt --index-url https://pypi.example.com/simple flask==3.0.3")
	inv.manager == "pip"
	inv.packages == ["flask==3.0.3"]
}

test_uv_pip_is_not_pip if {
	count(container.invocations("uv pip install flask")) == 0
}

test_final_chain_follows_stage_names_case_insensitively if {
	base := object.union(stage(0, "alpine:3.20", "3.20", null, []), {"name": "Base"})
	child := object.union(stage(1, "base", null, null, []), {"from": {"image": "base", "registry": null, "repository": null, "tag": null, "digest": null, "platform": null, "stage": "base", "has_variables": false}})
	other := stage(1, "alpine:3.20", "3.20", null, [])
	container.final_chain == {2, 0} with input as {"object": {"stages": [base, other, object.union(child, {"index": 2})]}}
}
