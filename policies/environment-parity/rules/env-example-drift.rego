# METADATA
# title: Env files and .env.example list the same keys
# description: >-
#   `.env.example` is the contract of what a service reads from its environment: new
#   developers copy it, reviewers read it, deploy tooling checks against it. A key documented
#   there and not set in an environment's env file (staging, production — the environments of
#   the `pairs` param) is configuration that environment will not have when the code asks for
#   it; a key set in an environment's env file and absent from the example is undocumented
#   configuration that the next environment (or developer) will not know to set. Env files
#   are matched with the example in the same directory (`.env.example` ↔ `.env.production`,
#   `config/.env.example` ↔ `config/production/.env`); templates are the files the
#   `env_templates` param matches (`.env.example`, `.env.sample`, `.env.template`, …). Keys
#   listed in the `intended` param are not reported. Values are never shown.
# related_resources:
#   - https://12factor.net/config
#   - https://12factor.net/dev-prod-parity
#   - https://github.com/motdotla/dotenv#should-i-commit-my-env-file
# custom:
#   id: ENV-002
#   severity: medium
#   kinds: [dotenv]
#   scope: graph
#   remediation: >-
#     Set the key in the environment's env file (or its secret store), or document it in
#     `.env.example` (with an empty or sample value and a comment); list a key that is
#     deliberately environment-only in `[params.environment-parity] intended`.
package ward.environment_parity.env_example_drift

import data.ward.environment_parity.lib.parity
import rego.v1

env_files := [r | some r in data.ward.graph.resources; r.kind == "dotenv"]

templates := [t | some t in env_files; regex.match(input.params.env_templates, t.path)]

dir(path) := concat("/", array.slice(parts, 0, count(parts) - 1)) if parts := split(path, "/")

# The directory an environment's env file belongs to, once its environment's own directory
# parts are left out: `config/production/.env` → `config`.
home(path) := concat("/", [p | some p in array.slice(parts, 0, count(parts) - 1); p != "*"]) if {
	parts := split(parity.normalize(path), "/")
}

# Env files of compared environments that a template documents.
documented_by(t) := [e |
	some e in env_files
	e.environment in parity.compared_environments
	not regex.match(input.params.env_templates, e.path)
	home(e.path) == dir(t.path)
]

keys(r) := {e.key | some e in r.value.entries}

# A key documented in the template that an environment's env file does not set (one finding
# per key, naming every file that lacks it).
deny contains result if {
	some t in templates
	files := documented_by(t)
	some i, entry in t.value.entries
	not parity.intended([entry.key])
	missing := sort([sprintf("%s (%s)", [e.path, e.environment]) | some e in files; not entry.key in keys(e)])
	count(missing) > 0
	not set_earlier(t, i, entry.key)
	result := {
		"msg": sprintf("%s is documented in %s:%d but not set in %s", [entry.key, t.path, entry.line, concat(", ", missing)]),
		"path": ["entries", i, "key"],
		"resource": t.id,
		"related": [{"resource": e.id, "message": sprintf("%s: %s is not set", [e.environment, entry.key])} |
			some e in files
			not entry.key in keys(e)
		],
	}
}

# A key an environment's env file sets that its template does not document.
deny contains result if {
	some t in templates
	some e in documented_by(t)
	some i, entry in e.value.entries
	not entry.key in keys(t)
	not parity.intended([entry.key])
	not set_earlier(e, i, entry.key)
	result := {
		"msg": sprintf("%s is set in %s:%d (%s) but not documented in %s", [entry.key, e.path, entry.line, e.environment, t.path]),
		"path": ["entries", i, "key"],
		"resource": e.id,
		"related": [{"resource": t.id, "message": sprintf("%s is not documented here", [entry.key])}],
	}
}

# A key set twice is reported once, at its first line.
set_earlier(r, i, key) if {
	some j, other in r.value.entries
	j < i
	other.key == key
}
