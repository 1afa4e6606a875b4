package ward.environment_parity.code_env_test

import data.ward.environment_parity.code_env_undefined
import rego.v1

params := {
	"code_env_ignore": ["^HOME$"],
	"code_env_ignore_paths": `(^|/)tests/`,
	"code_env_report_optional": false,
}

code(path, reads) := {
	"id": sprintf("code:%s", [path]), "kind": "code", "type": "source-file", "name": null, "path": path,
	"line": 1, "environment": null, "labels": [], "value": {"language": "python", "env_reads": reads},
}

env_file(keys) := {
	"id": "env:.env", "kind": "dotenv", "type": "env-file", "name": null, "path": ".env", "line": 1,
	"environment": null, "labels": [], "value": {"entries": [{"key": k} | some k in keys], "duplicates": []},
}

reads := [
	{"name": "A", "via": "os.environ", "default": false},
	{"name": "B", "via": "os.getenv", "default": true},
	{"name": "HOME", "via": "os.environ", "default": false},
	{"name": "C", "via": "os.environ", "default": false},
]

test_reads_are_judged_only_when_something_defines_variables if {
	alone := {"resources": [code("app.py", reads)], "edges": []}
	count(code_env_undefined.deny) == 0 with data.ward.graph as alone with input.params as params
}

test_required_undefined_reads_are_reported_at_their_name if {
	graph := {"resources": [code("app.py", reads), env_file(["C"])], "edges": []}
	results := code_env_undefined.deny with data.ward.graph as graph with input.params as params
	[result.path | some result in results] == [["env_reads", 0, "name"]]
}

test_optional_reads_are_reported_when_asked if {
	graph := {"resources": [code("app.py", reads), env_file(["C"])], "edges": []}
	results := code_env_undefined.deny with data.ward.graph as graph
		with input.params as object.union(params, {"code_env_report_optional": true})
	count(results) == 2
}

test_ignored_paths_are_not_read if {
	graph := {"resources": [code("tests/test_app.py", reads), env_file(["C"])], "edges": []}
	count(code_env_undefined.deny) == 0 with data.ward.graph as graph with input.params as params
}
