# METADATA
# title: Production tfvars carry no placeholder values
# description: >-
#   A production variable file that still holds a template value — an `example.com` domain, a
#   `changeme` password, a `REPLACE_ME` account id, `TODO`, `<fill>`, an all-zero AMI or image
#   digest, a `localhost` endpoint — is applied to real infrastructure: DNS records, certificate
#   requests, alarms and connection strings then point at nothing (or at someone else), and a
#   placeholder credential becomes the real one. Every string in a `*.tfvars` file of the
#   production environment (`production.tfvars`, `envs/prod/terraform.tfvars`), nested lists and
#   maps included, is matched against the `placeholders` param.
# related_resources:
#   - https://developer.hashicorp.com/terraform/language/values/variables#variable-definitions-tfvars-files
#   - https://www.rfc-editor.org/rfc/rfc2606
#   - https://owasp.org/Top10/A05_2021-Security_Misconfiguration/
# custom:
#   id: REL-003
#   severity: high
#   kinds: [terraform]
#   remediation: >-
#     Set the production value in the variable file, or pass secrets with `TF_VAR_…` / a secret
#     manager data source instead of a committed value.
package ward.release_safety.tfvars_production_placeholders

import data.ward.release_safety.lib.values
import rego.v1

# Every placeholder pattern in one regular expression: regorus compiles a pattern on each
# call, so the file's values are screened at once (joined by line breaks, `(?m)`), then one by
# one, and only a value that matches is matched against every pattern to name it.
any_placeholder := concat("|", [sprintf("(?:%s)", [p.pattern]) | some p in input.params.placeholders])

strings := [[name, inner, value] |
	some name, attribute in input.object.config
	some [inner, value] in values.leaves(attribute)
	is_string(value)
]

deny contains result if {
	input.meta.type == "tfvars"
	input.meta.environment == "production"
	regex.match(sprintf("(?m)%s", [any_placeholder]), concat("\n", [value | some [_, _, value] in strings]))
	some [name, inner, value] in strings
	regex.match(any_placeholder, value)
	matches := [p.name | some p in input.params.placeholders; regex.match(p.pattern, value)]
	count(matches) > 0
	path := array.concat(["config", name], inner)
	result := {"msg": message(name, inner, value, matches[0]), "path": path}
}

label(name, []) := name

label(name, inner) := sprintf("%s%s", [name, concat("", [step(x) | some x in inner])]) if count(inner) > 0

step(x) := sprintf(".%s", [x]) if is_string(x)

else := sprintf("[%v]", [x])

message(name, inner, value, placeholder) := sprintf("%s holds a placeholder (%s) in a production variable file", [label(name, inner), placeholder]) if {
	regex.match(input.params.secret_keys, name)
} else := sprintf("%s is %q, a placeholder (%s), in a production variable file", [label(name, inner), value, placeholder])
