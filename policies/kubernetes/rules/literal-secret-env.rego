# METADATA
# title: Secrets are not written as literal env values
# description: >-
#   An env var whose name says it holds a secret (PASSWORD, TOKEN, SECRET, API_KEY, …) but
#   whose `value:` is written in the manifest puts the secret in the repository, in every
#   clone and CI log of it, and in the object that anyone with read access to the Deployment
#   can see; it cannot be rotated without a commit. Secrets belong in a Secret (created by
#   external-secrets, sealed-secrets or the platform), referenced with
#   `valueFrom.secretKeyRef` or `envFrom.secretRef`. The names are the `secret_env_names`
#   params (regular expressions matched against the upper-cased name), minus
#   `secret_env_name_exceptions` (names
#   such as `PASSWORD_FILE` or `TOKEN_URL`); empty values, `$(VAR)` references and booleans
#   are not secrets. A URL with an embedded password (`scheme://user:password@host`) is
#   reported whatever the variable's name. Checked for containers, init and ephemeral containers of
#   every workload kind. Messages name the variable, never its value.
# related_resources:
#   - https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables
#   - https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
#   - https://cwe.mitre.org/data/definitions/798.html
# custom:
#   id: K8S-019
#   severity: high
#   kinds: [kubernetes]
#   remediation: >-
#     Move the value into a Secret (never committed in plain text) and reference it with
#     `valueFrom.secretKeyRef`; then rotate the secret, since it has been in the repository.
package ward.kubernetes.literal_secret_env

import rego.v1

import data.lib.kubernetes as k8s

deny contains result if {
	some entry in k8s.containers(k8s.input_resource(input))
	some j, variable in env(entry)
	is_object(variable)
	is_string(variable.name)
	secret_name(variable.name)
	literal(variable.value)
	result := {
		"msg": sprintf("%s sets %s to a literal value instead of a secretKeyRef", [entry.label, variable.name]),
		"path": array.concat(entry.path, ["env", j, "value"]),
	}
}

deny contains result if {
	some entry in k8s.containers(k8s.input_resource(input))
	some j, variable in env(entry)
	is_object(variable)
	is_string(variable.name)
	not secret_name(variable.name)
	literal(variable.value)
	url_with_password(variable.value)
	result := {
		"msg": sprintf("%s sets %s to a URL with an embedded password", [entry.label, variable.name]),
		"path": array.concat(entry.path, ["env", j, "value"]),
	}
}

# The container's env list ([] when it has none or it is not a list).
env(entry) := list if {
	list := object.get(entry.container, "env", [])
	is_array(list)
} else := []

# Patterns are matched against the upper-cased name, all at once: regular expressions are
# compiled at each call, and case-insensitive ones cost much more to build.
secret_name(name) if {
	regex.match(any_of(object.get(input.params, "secret_env_names", [])), upper(name))
	not regex.match(any_of(object.get(input.params, "secret_env_name_exceptions", [])), upper(name))
}

# One expression that matches where any of `patterns` does (none: matches nothing).
any_of(patterns) := concat("|", [sprintf("(?:%s)", [p]) | some p in patterns]) if {
	count(patterns) > 0
} else := `[^\s\S]`

# A value written in the manifest that can be a secret.
literal(value) if {
	is_string(value)
	trim_space(value) != ""
	not reference(value)
	not lower(value) in {"true", "false", "yes", "no", "on", "off", "enabled", "disabled"}
}

# `$(OTHER_VAR)`: Kubernetes substitutes another variable of the container.
reference(value) if {
	startswith(value, "$(")
	endswith(value, ")")
	not contains(value, " ")
}

url_with_password(value) if {
	# Cheap tests first: regular expressions are compiled at each call.
	contains(value, "://")
	contains(value, "@")
	parts := regex.find_all_string_submatch_n(`^[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:([^/\s@]+)@`, value, 1)
	count(parts) > 0
	password := parts[0][1]
	not startswith(password, "$(")
}
