# METADATA
# title: No secrets in ENV or ARG
# description: >-
#   A value set with ENV is stored in the image config: `docker inspect` and `docker history`
#   show it to everyone who can pull the image, and every container started from it has it in
#   its environment. An ARG default is recorded in the image history of every stage that uses
#   it. Both are also committed with the Dockerfile. A key whose name says it holds a secret
#   (PASSWORD, TOKEN, SECRET, CREDENTIALS, API_KEY, … — the param `secret_names`, minus
#   `secret_name_exceptions` such as `*_FILE` or `GPG_KEY`) must not get a literal value there.
#   Empty values, `ARG NAME` without a default, booleans, and values made only of references
#   (`${DB_PASSWORD}`, `$TOKEN`) are fine. The finding names the key, never the value.
# related_resources:
#   - https://docs.docker.com/build/building/secrets/
#   - https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/
#   - https://owasp.org/www-project-docker-top-10/
#   - https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html
# custom:
#   id: CTR-005
#   severity: high
#   kinds: [dockerfile]
#   remediation: >-
#     Remove the value from the Dockerfile and rotate it if it was real. Give secrets to the
#     container at run time (orchestrator secrets, a mounted file, `*_FILE` variables), and to
#     the build with BuildKit secret mounts: `RUN --mount=type=secret,id=npm_token …` and
#     `docker build --secret id=npm_token,env=NPM_TOKEN`.
package ward.container.secrets_in_env_arg

import rego.v1

import data.lib.container

deny contains result if {
	some k, instruction in object.get(input.object, "global_args", [])
	some p, pair in object.get(instruction, "pairs", [])
	literal_secret(pair)
	result := {
		"msg": message("arg", pair.key),
		"path": ["global_args", k, "pairs", p, "key"],
	}
}

deny contains result if {
	some s, stage in container.stages
	some j, instruction in stage.instructions
	instruction.cmd in {"env", "arg"}
	some p, pair in object.get(instruction, "pairs", [])
	literal_secret(pair)
	result := {
		"msg": message(instruction.cmd, pair.key),
		"path": ["stages", s, "instructions", j, "pairs", p, "key"],
	}
}

message("env", key) := sprintf("ENV %s sets a literal secret-looking value in the image config", [key])

message("arg", key) := sprintf("ARG %s has a literal secret-looking default, recorded in the build history", [key])

literal_secret(pair) if {
	is_string(pair.value)
	pair.value != ""
	secret_name(pair.key)
	literal(pair.value)
}

# Each list of name patterns as one case-insensitive expression: one match per key, not one
# per pattern.
any_of(patterns) := sprintf("(?i)(?:%s)", [concat("|", [sprintf("(?:%s)", [p]) | some p in patterns])])

secret_name(key) if {
	count(input.params.secret_names) > 0
	regex.match(any_of(input.params.secret_names), key)
	not excepted(key)
}

excepted(key) if {
	count(input.params.secret_name_exceptions) > 0
	regex.match(any_of(input.params.secret_name_exceptions), key)
}

# References (`$X`, `${X}`, `${X:-}`) contribute nothing literal; what is left must be more
# than blanks, quotes and separators, and more than a boolean.
literal(value) if {
	rest := regex.replace(value, `\$\{[A-Za-z_][A-Za-z0-9_]*(:?[-+?=])?\}|\$[A-Za-z_][A-Za-z0-9_]*`, "")
	regex.match(`[A-Za-z0-9]`, rest)
	not lower(trim_space(value)) in {"true", "false", "yes", "no", "on", "off"}
}
