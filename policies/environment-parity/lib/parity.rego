# Shared helpers of the environment-parity pack: which environments are compared, which
# files are "the same file" for two environments, and which differences are intended.
package ward.environment_parity.lib.parity

import rego.v1

graph := data.ward.graph

# Each pair [lower, higher] of environments to compare.
pairs := [[p[0], p[1]] | some p in input.params.pairs; is_array(p); count(p) == 2]

# The environments of all pairs.
compared_environments := {env | some p in pairs; some env in p}

words := {lower(w) | some w in input.params.environment_words}

# A path with every environment word replaced by `*`, token by token (tokens are separated by
# `/`, `.`, `-` and `_`): `.env.staging` and `.env.production` both give `.env.*`,
# `deploy/overlays/prod/api.yaml` gives `deploy/overlays/*/api.yaml`.
normalize(path) := concat("/", [dotted(part) | some part in split(path, "/")])

dotted(s) := concat(".", [dashed(x) | some x in split(s, ".")])

dashed(s) := concat("-", [underscored(x) | some x in split(s, "-")])

underscored(s) := concat("_", [token(x) | some x in split(s, "_")])

token(t) := "*" if lower(t) in words

else := t

# Resources of `kind` in `env`, as [resource, normalized path].
of_environment(kind, env) := [[r, normalize(r.path)] |
	some r in graph.resources
	r.kind == kind
	r.environment == env
]

# Pairs of resources of `kind`, one of each environment of a pair, in files that differ only
# by the environment's name: {lower, higher, environments}.
counterparts(kind) := [c |
	some p in pairs
	some [a, key] in of_environment(kind, p[0])
	some [b, key_b] in of_environment(kind, p[1])
	key == key_b
	c := {"lower": a, "higher": b, "environments": p}
]

# A difference named by any of `names` (plain, or qualified `scope:name`) is declared intended.
intended(names) if {
	some name in names
	name in input.params.intended
}
