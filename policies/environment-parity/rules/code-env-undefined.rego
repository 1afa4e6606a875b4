# METADATA
# title: Environment variables the code reads are defined somewhere
# description: >-
#   A variable the application reads but that no env file, manifest or pipeline sets is a
#   production incident waiting for its first request: `os.environ["X"]` raises, `process.env.X`
#   is `undefined` and flows on as a string "undefined" or a crash far from the cause. Parity
#   between environments starts with the variable existing in at least one of them. ward reads
#   every source file for the variables it reads by a literal name — JavaScript/TypeScript
#   `process.env.X` and `process.env["X"]`, Python `os.environ["X"]`, `os.environ.get("X")` and
#   `os.getenv("X")`, Go `os.Getenv("X")`, Rust `env::var("X")`, Ruby `ENV["X"]` and
#   `ENV.fetch("X")`, Java and Kotlin `System.getenv("X")`, C#, PHP, Scala and Swift
#   equivalents, outside comments — and reports each read of a name that none of these define:
#   env files, Kubernetes container `env:` and the keys of ConfigMaps, Secrets, ExternalSecrets
#   and kustomize generators, Compose `environment:`, Dockerfile `ENV`, and GitHub Actions
#   workflow, job and step `env:`. Reads with a fallback in the code (`os.getenv("X", "d")`,
#   `process.env.X ?? "d"`, `ENV.fetch("X") { … }`) are optional and not reported unless the
#   param `code_env_report_optional` is true; names matching `code_env_ignore` (platform
#   variables such as `PATH`, `HOME`, `CI`, `GITHUB_*`, `AWS_LAMBDA_*`) and files matching
#   `code_env_ignore_paths` (tests, scripts) are left out. The rule runs only when the scan
#   read at least one env file, manifest, Compose file or Dockerfile.
# related_resources:
#   - https://12factor.net/config
#   - https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/
#   - https://docs.docker.com/compose/how-tos/environment-variables/set-environment-variables/
# custom:
#   id: ENV-007
#   severity: medium
#   kinds: [code]
#   scope: graph
#   remediation: >-
#     Define the variable for every environment that runs this code — in the env files, the
#     ConfigMap or Secret the workload loads, the Compose service's `environment:` — or give
#     the read a fallback if it is optional; document it in `.env.example`.
package ward.environment_parity.code_env_undefined

import data.ward.environment_parity.lib.definitions
import rego.v1

ignored_name(name) if {
	some pattern in input.params.code_env_ignore
	regex.match(pattern, name)
}

ignored_path(path) if regex.match(input.params.code_env_ignore_paths, path)

optional(read) if {
	read["default"] == true
	input.params.code_env_report_optional != true
}

deny contains result if {
	count(definitions.sources) > 0
	some r in data.ward.graph.resources
	r.kind == "code"
	not ignored_path(r.path)
	some i, read in r.value.env_reads
	not read.name in definitions.defined
	not ignored_name(read.name)
	not optional(read)
	result := {
		"msg": sprintf(
			"%s reads %s (%s), which no env file, Kubernetes manifest, Compose file, Dockerfile or workflow defines",
			[r.path, read.name, read.via],
		),
		"path": ["env_reads", i, "name"],
		"resource": r.id,
	}
}
