# METADATA
# title: No env files or keys copied into the image
# description: >-
#   Whatever COPY or ADD puts into a layer stays in the image, even if a later RUN deletes it,
#   and anyone who can pull the image can read it. `.env` files hold the environment's secrets;
#   private keys (`*.pem`, `*.key`, `id_rsa`), registry and cloud credentials (`.npmrc`,
#   `.pypirc`, `.netrc`, `.aws/`, `.ssh/`, `.docker/config.json`) give access to other systems.
#   Each COPY/ADD source (also `COPY --from=` another stage) is matched against the param
#   `sensitive_files`, minus `sensitive_file_exceptions` (`.env.example`, `*.pub`). Broad copies
#   like `COPY . .` are not judged here: keep such files out with `.dockerignore`.
# related_resources:
#   - https://docs.docker.com/build/building/secrets/
#   - https://docs.docker.com/build/concepts/context/#dockerignore-files
#   - https://cheatsheetseries.owasp.org/cheatsheets/Docker_Security_Cheat_Sheet.html
#   - https://owasp.org/www-project-docker-top-10/
# custom:
#   id: CTR-017
#   severity: high
#   kinds: [dockerfile]
#   remediation: >-
#     Do not copy the file. Give runtime secrets to the container from the orchestrator (secrets,
#     mounted files, environment at run time) and build-time credentials with
#     `RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci`; list the files in
#     `.dockerignore`.
package ward.container.sensitive_files_copied

import rego.v1

import data.lib.container

deny contains result if {
	some s, stage in container.stages
	some j, instruction in stage.instructions
	instruction.cmd in {"copy", "add"}
	some pair in container.sources(instruction)
	[k, source] := pair
	not container.remote_source(source)
	sensitive(normalised(source))
	result := {
		"msg": sprintf("%s puts %s into the image", [upper(instruction.cmd), source]),
		"path": ["stages", s, "instructions", j, "args", k],
	}
}

normalised(source) := regex.replace(source, `^(\./)+`, "") if startswith(source, "./")

normalised(source) := source if not startswith(source, "./")

# Each list of patterns as one expression: one match per source, not one per pattern.
any_of(patterns) := concat("|", [sprintf("(?:%s)", [p]) | some p in patterns])

sensitive(path) if {
	count(input.params.sensitive_files) > 0
	regex.match(any_of(input.params.sensitive_files), path)
	not excepted(path)
}

excepted(path) if {
	count(input.params.sensitive_file_exceptions) > 0
	regex.match(any_of(input.params.sensitive_file_exceptions), path)
}
