# METADATA
# title: Debug mode is off in production
# description: >-
#   A production env file that turns debug on leaks stack traces, settings and internals to
#   whoever triggers an error.
# custom:
#   id: BASICS-006
#   severity: high
#   kinds: [dotenv]
#   remediation: Remove DEBUG from the production env file, or set it to false.
package ward.basics.env_debug_production

import rego.v1

deny contains result if {
  input.meta.environment == "production"
  some i, entry in input.object.entries
  upper(entry.key) == "DEBUG"
  lower(entry.value) in {"true", "1", "yes", "on"}
  result := {"msg": sprintf("%s=%s in a production env file", [entry.key, entry.value]), "path": ["entries", i, "value"]}
}
