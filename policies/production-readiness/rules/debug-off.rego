# METADATA
# title: Debug mode is off in production
# description: >-
#   Debug switches turn on interactive error pages (Werkzeug's debugger runs arbitrary code,
#   Django and Laravel print settings and stack traces), verbose internals and disabled
#   caching — for whoever can trigger an error. The rule reports `DEBUG` and every `*_DEBUG`
#   variable (`debug_variables`, `*` patterns) set to a truthy value (`truthy_values`: true, 1, yes,
#   on, …) in production: production env files, production Compose services, production
#   ConfigMaps and container `env:` (including kustomize patches and generator literals), and
#   base manifests a production kustomize overlay renders without overriding the value.
# related_resources:
#   - https://owasp.org/Top10/A05_2021-Security_Misconfiguration/
#   - https://docs.djangoproject.com/en/stable/ref/settings/#debug
#   - https://flask.palletsprojects.com/en/stable/debugging/
#   - https://cwe.mitre.org/data/definitions/489.html
# custom:
#   id: RDY-002
#   severity: high
#   kinds: [dotenv, kubernetes, compose]
#   scope: graph
#   remediation: >-
#     Set the variable to `false` (or remove it) in the production configuration; in a kustomize
#     setup, override it in the production overlay's ConfigMap patch.
package ward.production_readiness.debug_off

import rego.v1

import data.ward.production_readiness.lib

truthy := {lower(value) | some value in input.params.truthy_values}

settings := lib.settings_with(lib.matching_keys(input.params.debug_variables))

deny contains result if {
	some s in settings
	lower(trim_space(s.value)) in truthy
	result := {
		"msg": sprintf("%s=%s in production, in %s", [s.key, s.value, lib.describe(s)]),
		"resource": s.resource,
		"path": s.path,
	}
}
