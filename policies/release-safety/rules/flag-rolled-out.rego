# METADATA
# title: Feature flags that have served everyone for long are removed
# description: >-
#   A release flag exists to roll a change out and to roll it back. Once it serves its on value
#   to everyone in every environment — on, no targeting, a 100% rollout — and has stayed that
#   way for months, it no longer protects anything: it is a second code path nobody tests, a
#   switch that can still turn a finished feature off by accident, and configuration every
#   reader must understand. This rule reports a flag that is fully rolled out in every
#   environment its flags files list (for flagd, which keeps one file per environment, every
#   file that has the key) when its last change — the `updated` date, else `created`
#   (LaunchDarkly `lastModified`/`creationDate`, Unleash `createdAt`, flagd `metadata`) — is more
#   than `flag_max_age_days` days (default 90) before today. Today is ward's clock, or the
#   param `today` (`YYYY-MM-DD`) when set, which makes a run reproducible. Flags meant to stay —
#   kill switches, `temporary: false` (LaunchDarkly), Unleash `operational`, `kill-switch` and
#   `permission` flags, `permanent: true` — are not reported, nor flags without a date.
# related_resources:
#   - https://martinfowler.com/articles/feature-toggles.html#WorkingWithFeature-flaggedSystems
#   - https://docs.getunleash.io/reference/technical-debt
#   - https://docs.launchdarkly.com/home/flags/flag-archiving
# custom:
#   id: REL-009
#   severity: low
#   kinds: [feature-flags]
#   scope: graph
#   remediation: >-
#     Remove the flag: delete the code path it switched off and the flag's checks, then the flag
#     from the flags file and the flag service. If it must stay as an operational switch, mark
#     it permanent (`permanent: true`, `temporary: false`, an Unleash `operational` type).
package ward.release_safety.flag_rolled_out

import rego.v1

flags := [r | some r in data.ward.graph.resources; r.type == "feature-flag"]

max_age_days := object.get(input.params, "flag_max_age_days", 90)

# Today at midnight UTC, in nanoseconds: the `today` param when set, else the clock.
today_ns := time.parse_rfc3339_ns(sprintf("%sT00:00:00Z", [input.params.today])) if {
	is_string(input.params.today)
	input.params.today != ""
} else := time.now_ns()

day_ns := ((24 * 60) * 60) * 1000000000

# On for everyone in one environment.
fully_on(env) if {
	env.enabled == true
	env.targeted == false
	is_number(env.rollout)
	env.rollout >= 100
}

on_everywhere(flag) if {
	count(flag.environments) > 0
	every env in flag.environments {
		fully_on(env)
	}
}

# Every flags file that has the key serves it to everyone.
on_everywhere_for_key(key) if {
	every r in flags {
		not r.name == key
	}
}

on_everywhere_for_key(key) if {
	same := [r | some r in flags; r.name == key]
	count(same) > 0
	every r in same {
		on_everywhere(r.value)
	}
}

# Flags that are meant to stay.
permanent(flag) if flag.is_kill_switch == true

permanent(flag) if flag.temporary == false

# The date that says since when: the last change, else the creation.
since(flag) := ["updated", flag.updated] if is_string(flag.updated)

else := ["created", flag.created] if is_string(flag.created)

environments(flag) := concat(", ", names) if {
	names := [env.name | some env in flag.environments; is_string(env.name)]
	count(names) > 0
} else := "its only environment"

deny contains result if {
	some r in flags
	not permanent(r.value)
	on_everywhere(r.value)
	on_everywhere_for_key(r.name)
	[field, date] := since(r.value)
	age_days := (today_ns - time.parse_rfc3339_ns(date)) / day_ns
	age_days > max_age_days
	result := {
		"msg": sprintf(
			"feature flag %s has served everyone in every environment (%s) since %s (%s), more than %d days: remove it and the code path it switches off",
			[r.name, environments(r.value), substring(date, 0, 10), field, max_age_days],
		),
		"path": ["key"],
		"resource": r.id,
	}
}
