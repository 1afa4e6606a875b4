# METADATA
# title: Critical feature flags have a kill switch
# description: >-
#   A flag marked critical guards something whose failure hurts — payments, sign-in, a data
#   migration in flight. When it misbehaves, someone must be able to turn the feature off at
#   once, without a deploy and without knowing which targeting rule to edit: that is a kill
#   switch, a separate flag whose only job is to switch it off. This rule reports a critical
#   flag (`critical: true`, a `critical` tag or custom property) that names no kill switch
#   (`kill_switch: <key>`, flagd `metadata.killSwitch`, an Unleash tag of type `kill-switch`, a
#   LaunchDarkly custom property `kill-switch`), and a kill switch that names a flag defined in
#   no flags file of the scan. A critical flag that is itself a kill switch (`type:
#   kill-switch`, a `kill-switch` tag) needs no other.
# related_resources:
#   - https://martinfowler.com/articles/feature-toggles.html#OpsToggles
#   - https://docs.getunleash.io/reference/feature-toggles#feature-flag-types
#   - https://docs.launchdarkly.com/guides/flags/flag-templates
# custom:
#   id: REL-011
#   severity: high
#   kinds: [feature-flags]
#   scope: graph
#   remediation: >-
#     Create a kill-switch flag (on by default, `type: kill-switch`) that the code checks before
#     the critical feature, and name it in the critical flag's `kill_switch`.
package ward.release_safety.flag_kill_switch

import rego.v1

flags := [r | some r in data.ward.graph.resources; r.type == "feature-flag"]

keys := {r.name | some r in flags}

critical := [r | some r in flags; r.value.critical == true; r.value.is_kill_switch != true]

deny contains result if {
	some r in critical
	not is_string(r.value.kill_switch)
	result := {
		"msg": sprintf("critical feature flag %s has no kill switch: name the flag that turns it off in kill_switch", [r.name]),
		"path": ["critical"],
		"resource": r.id,
	}
}

deny contains result if {
	some r in critical
	is_string(r.value.kill_switch)
	not r.value.kill_switch in keys
	result := {
		"msg": sprintf("the kill switch %s of critical feature flag %s is not defined in any flags file", [r.value.kill_switch, r.name]),
		"path": ["kill_switch"],
		"resource": r.id,
	}
}
