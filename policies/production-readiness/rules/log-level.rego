# METADATA
# title: Production does not log at debug or trace level
# description: >-
#   Debug and trace logging in production writes request bodies, headers, tokens, SQL with its
#   parameters and personal data into logs that are kept, shipped and read far more widely than
#   the application's database; it also multiplies log volume and cost and can slow the
#   service down. The rule reports log-level variables (`log_level_variables`: LOG_LEVEL,
#   *_LOG_LEVEL, RUST_LOG, LOGGING_LEVEL_*, …) whose value names a level in
#   `verbose_log_levels` (debug, trace, verbose, silly, all) in production env files, Compose
#   services, ConfigMaps, container env and what production kustomize overlays render. A
#   directive list such as `RUST_LOG=info,sqlx=debug` is read level by level.
# related_resources:
#   - https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude
#   - https://owasp.org/Top10/A09_2021-Security_Logging_and_Monitoring_Failures/
#   - https://docs.rs/env_logger/latest/env_logger/#enabling-logging
# custom:
#   id: RDY-003
#   severity: medium
#   kinds: [dotenv, kubernetes, compose]
#   scope: graph
#   remediation: >-
#     Log at `info` (or `warn`) in production; raise the level for one module or for a limited
#     time when debugging an incident, and lower it again.
package ward.production_readiness.log_level

import rego.v1

import data.ward.production_readiness.lib

verbose := {lower(level) | some level in input.params.verbose_log_levels}

# The levels a value names: `debug`, or each directive of `info,my_crate=debug`.
levels(value) := {lower(trim_space(level)) |
	some directive in regex.split(`[,;\s]+`, value)
	parts := split(directive, "=")
	level := parts[count(parts) - 1]
}

settings := lib.settings_with(lib.matching_keys(input.params.log_level_variables))

deny contains result if {
	some s in settings
	found := levels(s.value) & verbose
	count(found) > 0
	result := {
		"msg": sprintf("%s logs at %s in production, in %s", [s.key, concat(", ", sort(found)), lib.describe(s)]),
		"resource": s.resource,
		"path": s.path,
	}
}
