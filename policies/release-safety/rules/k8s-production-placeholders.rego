# METADATA
# title: Production Kubernetes manifests carry no placeholder values
# description: >-
#   A value copied from a template and never filled in — an `example.com` host, `changeme`,
#   `REPLACE_ME`, `TODO`, `<fill>`, `xxx`, an all-zero image digest, a `localhost` URL — ships
#   to production as if it were configuration. The service then calls a host that is not
#   production's (or not anyone's), authenticates with a well-known password, or fails only
#   when the code path is first hit in production. Every
#   string value of every Kubernetes object in a production path is checked, kustomize patches
#   and kustomizations included (per-resource rules do not see patches, so this is a graph
#   rule); probes, lifecycle hooks, commands and arguments are skipped, since they address the
#   container itself. The placeholder patterns are the `placeholders` param.
# related_resources:
#   - https://www.rfc-editor.org/rfc/rfc2606
#   - https://owasp.org/Top10/A05_2021-Security_Misconfiguration/
#   - https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/
# custom:
#   id: REL-001
#   severity: high
#   kinds: [kubernetes]
#   scope: graph
#   remediation: >-
#     Replace the placeholder with the production value in the production overlay (or patch),
#     or take it from a Secret/ExternalSecret; if the base's value is right for production,
#     remove the overlay's override.
package ward.release_safety.k8s_production_placeholders

import data.ward.release_safety.lib.values
import rego.v1

# Every placeholder pattern in one regular expression: regorus compiles a pattern on each
# call, so values are screened with this one first — all of production's values at once, then
# each resource's, then each value — and only a value that matches is matched against every
# pattern to name it.
any_placeholder := concat("|", [sprintf("(?:%s)", [p.pattern]) | some p in input.params.placeholders])

# The same over several values joined by line breaks: `^` and `$` match at each value's ends.
any_placeholder_in_lines := sprintf("(?m)%s", [any_placeholder])

# Production objects (patches included) with their string values: [resource, [[path, value]…]].
candidates := [[r, strings] |
	some r in data.ward.graph.resources
	r.kind == "kubernetes"
	r.environment == "production"
	strings := [[path, value] |
		some [path, value] in values.leaves(r.value)
		is_string(value)
		not ignored(path)
	]
	count(strings) > 0
]

lines(strings) := concat("\n", [value | some [_, value] in strings])

some_placeholder if regex.match(any_placeholder_in_lines, concat("\n", [lines(strings) | some [_, strings] in candidates]))

deny contains result if {
	some_placeholder
	some [r, strings] in candidates
	regex.match(any_placeholder_in_lines, lines(strings))
	some [path, value] in strings
	regex.match(any_placeholder, value)
	matches := [p.name | some p in input.params.placeholders; regex.match(p.pattern, value)]
	count(matches) > 0
	result := {
		"msg": message(r, path, value, matches[0]),
		"path": path,
		"resource": r.id,
	}
}

ignored(path) if {
	some element in path
	element in input.params.placeholder_ignore_fields
}

# The key a value is under: an env var's name, its own key, or its list's key with the index.
key(r, path) := sprintf("env %s", [name]) if {
	n := count(path)
	n >= 3
	path[n - 1] == "value"
	path[n - 3] == "env"
	is_object(r.value)
	name := object.get(r.value, array.concat(array.slice(path, 0, n - 1), ["name"]), null)
	is_string(name)
} else := sprintf("%s", [path[count(path) - 1]]) if {
	is_string(path[count(path) - 1])
} else := sprintf("%s[%d]", [path[count(path) - 2], path[count(path) - 1]]) if {
	count(path) > 1
} else := "value"

label(r) := sprintf("%s %s", [r.type, r.name]) if is_string(r.name)

else := r.type

secret(r, path) if r.type == "Secret"

secret(r, path) if regex.match(input.params.secret_keys, key(r, path))

message(r, path, value, name) := sprintf("%s: %s holds a placeholder (%s) in production", [label(r), key(r, path), name]) if {
	secret(r, path)
} else := sprintf("%s: %s is %q, a placeholder (%s), in production", [label(r), key(r, path), value, name])
