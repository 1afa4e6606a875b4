# METADATA
# title: Production configuration carries the required settings
# description: >-
#   Some settings must hold in production and nowhere is that checked until an incident shows
#   they did not: authentication switched on, the webhook signing secret present, rate limits
#   and data-retention periods configured, the environment named `production`. List them in the
#   `required` param (`[params.production-readiness]` in ward.toml): each entry names a
#   variable and either the value(s) it must have (`value`) or only that it must be set to
#   something non-empty (`set: true`); `when_set: true` checks the value only where the variable
#   is set. Every production configuration unit must carry each required variable: each
#   production env file, each production Compose service (its `environment:` and `env_file:`s)
#   and each production Kubernetes workload (its containers' `env`, the ConfigMaps and Secrets
#   of its `envFrom`, their production patches, and for kustomize the production overlay that
#   renders it). A missing variable is reported at the unit (for a base workload, at the
#   production overlay's kustomization); a wrong or empty value at the value, wherever it is
#   set in production. A `set: true` variable counts as present when the workload loads a
#   Secret whose keys the repository cannot show (an ExternalSecret with `dataFrom`, a Secret
#   created outside it). Values are compared case-insensitively and never printed. Besides the
#   `required` list, the variables of `environment_variables` (APP_ENV, RAILS_ENV,
#   ASPNETCORE_ENVIRONMENT, …) must not name another environment (`staging`, `dev`, …) in
#   production: a production file that says APP_ENV=staging was copied from staging.
# related_resources:
#   - https://12factor.net/config
#   - https://owasp.org/Top10/A05_2021-Security_Misconfiguration/
#   - https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/
# custom:
#   id: RDY-001
#   severity: high
#   kinds: [dotenv, kubernetes, compose]
#   scope: graph
#   remediation: >-
#     Add the variable, with the value required, to the production env file, Compose service,
#     or the ConfigMap (or Secret, for secrets) the production workload loads — in kustomize, in
#     the production overlay's patch or generator.
package ward.production_readiness.required_settings

import rego.v1

import data.ward.production_readiness.lib
import data.ward.production_readiness.units

# The `required` entries, normalised: name, accepted values (lower-case, or null), flags.
requirements contains {"name": entry.name, "accepted": accepted(entry), "when_set": object.get(entry, "when_set", false) == true} if {
	some entry in object.get(input.params, "required", [])
	is_string(entry.name)
}

accepted(entry) := {lower(lib.text(value)) | some value in entry.value} if is_array(entry.value)

accepted(entry) := {lower(lib.text(entry.value))} if {
	"value" in object.keys(entry)
	not is_array(entry.value)
}

accepted(entry) := null if not "value" in object.keys(entry)

# Only the values of the keys this rule checks.
environment_variables := {upper(name) | some name in input.params.environment_variables}

environment_keys := {key | some key in lib.setting_keys; upper(key) in environment_variables}

settings := lib.settings_with({requirement.name | some requirement in requirements} | environment_keys)

expected(requirement) := "set" if requirement.accepted == null

expected(requirement) := sprintf("set to %s", [concat(" or ", sort(requirement.accepted))]) if requirement.accepted != null

# A wrong value.
deny contains result if {
	some requirement in requirements
	requirement.accepted != null
	some s in settings
	s.key == requirement.name
	not lower(trim_space(s.value)) in requirement.accepted
	result := {
		"msg": sprintf("%s must be %s in production, in %s", [s.key, expected(requirement), lib.describe(s)]),
		"resource": s.resource,
		"path": s.path,
	}
}

# An empty value where any value is required.
deny contains result if {
	some requirement in requirements
	requirement.accepted == null
	some s in settings
	s.key == requirement.name
	trim_space(s.value) == ""
	result := {
		"msg": sprintf("%s is empty in production, in %s", [s.key, lib.describe(s)]),
		"resource": s.resource,
		"path": s.path,
	}
}

# Missing from a unit.
deny contains result if {
	some requirement in requirements
	not requirement.when_set
	some unit in units.units
	not requirement.name in unit.keys
	not secret_may_hold(unit, requirement)
	result := {
		"msg": sprintf("%s does not set %s in production (it must be %s)", [unit.label, requirement.name, expected(requirement)]),
		"resource": unit.resource,
		"path": unit.path,
	}
}

secret_may_hold(unit, requirement) if {
	unit.opaque
	requirement.accepted == null
}

# Another environment's name.
words(value) := {word | some word in regex.split(`[^a-z0-9]+`, lower(value)); word != ""}

deny contains result if {
	some s in settings
	upper(s.key) in environment_variables
	found := words(s.value) & {lower(name) | some name in input.params.non_production_names}
	count(found) > 0
	count(words(s.value) & {lower(name) | some name in input.params.production_names}) == 0
	result := {
		"msg": sprintf("%s=%s in production, in %s: it names another environment", [s.key, s.value, lib.describe(s)]),
		"resource": s.resource,
		"path": s.path,
	}
}
