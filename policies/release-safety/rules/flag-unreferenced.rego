# METADATA
# title: Feature flags are referenced by the code
# description: >-
#   A flag that no source file names is dead configuration: flipping it does nothing, which is
#   worse than nothing when someone flips it during an incident expecting an effect. It usually
#   outlived the code that read it. ward searches every source file of the scan (JavaScript,
#   TypeScript, Python, Go, Rust, Ruby, Java, Kotlin, Scala, C#, PHP, Swift; vendored, minified
#   and declaration files left out) for each flag's key, and for its camelCase form (which
#   LaunchDarkly's client SDKs use), outside comments and not as part of a longer name; the
#   graph records each hit as a `uses-flag` edge. A flag with no such edge is reported. The rule
#   runs only when the scan read at least one source file (a scan of configuration alone cannot
#   tell). Flags read by other repositories or services can be listed in the param
#   `flags_used_elsewhere`.
# related_resources:
#   - https://martinfowler.com/articles/feature-toggles.html#WorkingWithFeature-flaggedSystems
#   - https://docs.getunleash.io/reference/technical-debt
#   - https://docs.launchdarkly.com/home/observability/code-references
# custom:
#   id: REL-010
#   severity: medium
#   kinds: [feature-flags]
#   scope: graph
#   remediation: >-
#     Delete the flag from the flags file and the flag service, or — when another service reads
#     it — list its key in `flags_used_elsewhere` (`[params.release-safety]` in ward.toml).
package ward.release_safety.flag_unreferenced

import rego.v1

graph := data.ward.graph

used := {e.to | some e in graph.edges; e.relation == "uses-flag"}

source_files := count([r | some r in graph.resources; r.kind == "code"])

elsewhere := {key | some key in object.get(input.params, "flags_used_elsewhere", [])}

deny contains result if {
	source_files > 0
	some r in graph.resources
	r.type == "feature-flag"
	not r.id in used
	not r.name in elsewhere
	result := {
		"msg": sprintf(
			"feature flag %s is not referenced by any of the %d source files scanned: remove it, or list it in flags_used_elsewhere if another service reads it",
			[r.name, source_files],
		),
		"path": ["key"],
		"resource": r.id,
	}
}
