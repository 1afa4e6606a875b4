# METADATA
# title: Terraform variable files keep resilience and versions equal across environments
# description: >-
#   Staging is only a rehearsal of production when it runs the same engine and runtime
#   versions with the same resilience settings. A database that is Multi-AZ in staging and
#   single-AZ in production (or runs another engine version, keeps backups for a different
#   time, or has deletion protection only on one side) means failover, upgrades and restores
#   were never tested as production will run them. This rule compares, for each pair of
#   environments, the variable files that differ only by the environment's name
#   (`staging.tfvars` / `production.tfvars`, `envs/stg/terraform.tfvars` /
#   `envs/prod/terraform.tfvars`), for the variables the `terraform_variables` param matches
#   (Multi-AZ, engine versions, backup retention, deletion protection, storage encryption,
#   node and runtime versions). A variable set on one side only is compared with the
#   variable's default. Sizing (instance classes, counts, log retention) is not compared by
#   default: it usually differs on purpose. Names listed in `intended` are not reported.
# related_resources:
#   - https://12factor.net/dev-prod-parity
#   - https://developer.hashicorp.com/terraform/language/values/variables#variable-definitions-tfvars-files
#   - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html
# custom:
#   id: ENV-005
#   severity: high
#   kinds: [terraform]
#   scope: graph
#   remediation: >-
#     Set the variable to the same value in both environments' variable files (or remove it
#     from both and rely on one default); if the difference is deliberate, list the variable in
#     `[params.environment-parity] intended`.
package ward.environment_parity.tfvars_drift

import data.ward.environment_parity.lib.parity
import rego.v1

resources := data.ward.graph.resources

tfvars(env) := [[r, parity.normalize(r.path)] |
	some r in resources
	r.kind == "terraform"
	r.type == "tfvars"
	r.environment == env
]

comparisons contains [a, b, p] if {
	some p in parity.pairs
	some [a, key] in tfvars(p[0])
	some [b, key_b] in tfvars(p[1])
	key == key_b
}

# The variable patterns as one regular expression (regorus compiles a pattern on each call).
compared_variables := concat("|", [sprintf("(?:%s)", [p]) | some p in input.params.terraform_variables])

compared(name) if regex.match(compared_variables, name)

dir(path) := concat("/", array.slice(parts, 0, count(parts) - 1)) if parts := split(path, "/")

# The variable's declaration for `env` in the module the variable file belongs to (the
# nearest directory at or above it).
declaration(tfvars, env, name) := v if {
	candidates := [v |
		some v in resources
		v.kind == "terraform"
		v.type == "variable"
		v.name == name
		v.environment in {env, null}
		prefix(dir(v.path), dir(tfvars.path))
	]
	v := candidates[0]
}

prefix("", _) := true

prefix(d, path) if {
	d != ""
	path == d
}

prefix(d, path) if {
	d != ""
	startswith(path, concat("", [d, "/"]))
}

show(value) := json.marshal(value)

deny contains result if {
	some [a, b, p] in comparisons
	some name in object.keys(a.value.config) | object.keys(b.value.config)
	compared(name)
	not parity.intended([name])
	some finding in difference(a, b, p, name)
	result := {"msg": finding.msg, "path": ["config", name], "resource": finding.resource, "related": [finding.other]}
}

# Set on both sides, to different values: reported on the higher environment's side. The
# other side (`other`) is where the lower environment's value is set, or the variable's
# declaration whose default it uses, or its variable file.
difference(a, b, p, name) := [{"resource": b.id, "msg": msg, "other": other}] if {
	va := a.value.config[name]
	vb := b.value.config[name]
	va != vb
	msg := sprintf("%s is %s in %s (%s) but %s in %s (%s)", [name, show(vb), p[1], b.path, show(va), p[0], a.path])
	other := {"resource": a.id, "path": ["config", name], "message": sprintf("%s: %s = %s", [p[0], name, show(va)])}
} else := [{"resource": b.id, "msg": msg, "other": other}] if {
	not has_key(a.value.config, name)
	vb := b.value.config[name]
	d := declaration(a, p[0], name)
	fallback := d.value.config["default"]
	fallback != vb
	msg := sprintf("%s is %s in %s (%s) but %s uses the default %s (%s:%d)", [name, show(vb), p[1], b.path, p[0], show(fallback), d.path, d.line])
	other := {"resource": d.id, "path": ["config", "default"], "message": sprintf("%s: the default %s", [p[0], show(fallback)])}
} else := [{"resource": a.id, "msg": msg, "other": other}] if {
	not has_key(b.value.config, name)
	va := a.value.config[name]
	d := declaration(b, p[1], name)
	fallback := d.value.config["default"]
	fallback != va
	msg := sprintf("%s is %s in %s (%s) but %s uses the default %s (%s:%d)", [name, show(va), p[0], a.path, p[1], show(fallback), d.path, d.line])
	other := {"resource": d.id, "path": ["config", "default"], "message": sprintf("%s: the default %s", [p[1], show(fallback)])}
} else := [{"resource": b.id, "msg": msg, "other": other}] if {
	not has_key(a.value.config, name)
	vb := b.value.config[name]
	not has_default(a, p[0], name)
	msg := sprintf("%s is %s in %s (%s) and not set in %s (%s)", [name, show(vb), p[1], b.path, p[0], a.path])
	other := {"resource": a.id, "message": sprintf("%s: %s is not set", [p[0], name])}
} else := [{"resource": a.id, "msg": msg, "other": other}] if {
	not has_key(b.value.config, name)
	va := a.value.config[name]
	not has_default(b, p[1], name)
	msg := sprintf("%s is %s in %s (%s) and not set in %s (%s)", [name, show(va), p[0], a.path, p[1], b.path])
	other := {"resource": b.id, "message": sprintf("%s: %s is not set", [p[1], name])}
} else := []

has_key(obj, key) if _ = obj[key]

has_default(tfvars, env, name) if {
	d := declaration(tfvars, env, name)
	has_key(d.value.config, "default")
}
