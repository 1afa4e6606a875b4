# Shared helpers of the terraform-aws pack: reading Terraform blocks as ward normalises them.
#
# - Values that could not be known statically are `${…}` text in `config`: `unknown(v)`. Rules
#   report a value only when it is known (or absent), never a guess about an unresolved one.
# - Resource ids are `tf:<address>@<module>[<environment>]`; blocks relate to each other only
#   within one module and environment (`scope`), and a block configures another when an
#   attribute's expression names its address (`refers_to`).
# - Graph queries: the blocks of a type that configure an S3 bucket (by reference or by the
#   bucket's literal name), the blocks of a scope.
package ward.terraform_aws.lib

import rego.v1

# A value that could not be known statically: text holding `${…}`.
unknown(value) if {
	is_string(value)
	contains(value, "${")
}

# `true`, `"true"` — a value known to be true.
is_true(value) if value == true

is_true(value) if {
	is_string(value)
	lower(value) == "true"
}

# `false`, `"false"` — a value known to be false.
is_false(value) if value == false

is_false(value) if {
	is_string(value)
	lower(value) == "false"
}

# `x` as a list: lists stay, anything else becomes a list of one.
as_list(x) := x if is_array(x)

as_list(x) := [x] if not is_array(x)

# The parts of a Terraform block's id `tf:<call path><address>@<module>[<environment>]`: the
# call path of a block an expanded module call created (`module.logs["a"].`, empty for the
# root module's own blocks), its address inside that module, and its scope (after the last `@`;
# a `#2` of a duplicate block dropped). The call path's instance keys may hold anything quoted.
call_path_pattern := `^(module\.[A-Za-z0-9_-]+(\[("([^"\\]|\\.)*"|[0-9]+)\])?\.)*`

# The root module's own blocks (most of them): plain string work, no regex.
id_parts(id) := ["", inner, at] if {
	rest := trim_prefix(id, "tf:")
	not startswith(rest, "module.")
	parts := split(rest, "@")
	count(parts) > 1
	inner := concat("@", array.slice(parts, 0, count(parts) - 1))
	at := regex.replace(parts[count(parts) - 1], `#[0-9]+$`, "")
}

id_parts(id) := [call, inner, at] if {
	rest := trim_prefix(id, "tf:")
	startswith(rest, "module.")
	at_parts := regex.find_n(`@[^@]*$`, rest, 1)
	count(at_parts) == 1
	full := substring(rest, 0, count(rest) - count(at_parts[0]))
	calls := regex.find_n(call_path_pattern, full, 1)
	call := concat("", array.slice(calls, 0, 1))
	inner := substring(full, count(call), -1)
	at := regex.replace(substring(at_parts[0], 1, -1), `#[0-9]+$`, "")
}

# "tf:aws_s3_bucket.logs@infra[production]" -> "aws_s3_bucket.logs"; an instance of a block with
# `count` or `for_each` (`aws_s3_bucket.logs["a"]`) -> the block's address, which references name;
# a block of an expanded module call (`module.logs.aws_s3_bucket.this`) -> its address inside
# the module (`aws_s3_bucket.this`), which is how the module's own expressions name it.
address(id) := a if {
	[_, inner, _] := id_parts(id)
	a := regex.replace(inner, `\[.*\]$`, "")
}

# "tf:aws_s3_bucket.logs@infra[production]" -> "infra[production]": the module and environment.
# A block of an expanded module call is in the scope of that call instance:
# "tf:module.logs.aws_s3_bucket.this@infra" -> "module.logs.@infra". (A block declared twice gets a
# `#2` after its id; it is still in the same scope.)
scope(id) := s if {
	[call, _, at] := id_parts(id)
	call == ""
	s := at
}

scope(id) := s if {
	[call, _, at] := id_parts(id)
	call != ""
	s := concat("@", [call, at])
}

# "infra[production]" -> "infra"; "module.logs.@infra[prod]" -> "infra": the root module.
module_of(id) := m if {
	[_, _, at] := id_parts(id)
	m := split(at, "[")[0]
}

# A scope's call path ("" for the root module's blocks) and its module[environment] part.
scope_split(s) := [call, at] if {
	contains(s, ".@")
	at := regex.find_n(`[^@]*$`, s, 1)[0]
	call := substring(s, 0, count(s) - count(at) - 1)
}

scope_split(s) := ["", s] if not contains(s, ".@")

# Whether two scopes can see each other: the same call instance (or both the root module's),
# the same module, and the same environment or one that stands for every environment (`infra`,
# a block resolved alike in all of them).
in_scope(s, t) if s == t

in_scope(s, t) if {
	s != t
	[call, a] := scope_split(s)
	[other_call, b] := scope_split(t)
	call == other_call
	split(a, "[")[0] == split(b, "[")[0]
	not contains(a, "[")
}

in_scope(s, t) if {
	s != t
	[call, a] := scope_split(s)
	[other_call, b] := scope_split(t)
	call == other_call
	split(a, "[")[0] == split(b, "[")[0]
	not contains(b, "[")
}

# Whether an expression (as written) names the block at `addr` (`aws_s3_bucket.logs.id`,
# `aws_s3_bucket.logs[0].arn`), and not a longer name that starts with it.
refers_to(text, addr) if {
	is_string(text)
	pattern := concat("", [`(^|[^A-Za-z0-9_.-])`, replace(addr, ".", `\.`), `([^A-Za-z0-9_-]|$)`])
	regex.match(pattern, text)
}

# The graph's Terraform blocks of one scope (module and environment) and type. Per-resource
# rules call this: the graph's `terraform_modules` index (built once per scan) hands over the
# blocks of the module and type, in graph order, instead of a walk of every block of the type in
# the repository for every block judged.
blocks_of(s, type) := [r |
	some i in object.get(object.get(data.ward.graph.index.terraform_modules, split(scope_split(s)[1], "[")[0], {}), type, [])
	r := data.ward.graph.resources[i]
	in_scope(scope(r.id), s)
]

# `blocks_of(s, type)` named `name`: the name is compared before the scope, which costs a few
# regexes per block (a root module may make dozens of module calls).
named_blocks_of(s, type, name) := [r |
	some i in object.get(object.get(data.ward.graph.index.terraform_modules, split(scope_split(s)[1], "[")[0], {}), type, [])
	r := data.ward.graph.resources[i]
	r.name == name
	in_scope(scope(r.id), s)
]

# The `resource` blocks of `type` that configure the S3 bucket resource `id` (whose config is
# `config`): their `bucket` attribute names it (`aws_s3_bucket.logs.id`), or equals its literal
# name (`"shop-logs"`). A bucket a module call creates is also configured by its callers' blocks
# that name it through the call's output (`bucket = module.logs.bucket_id`, which ward resolves
# to `${module.logs.aws_s3_bucket.this.id}`), and by any block of the root module (and
# environment) that gives its literal name: bucket names are global.
bucket_configs(id, config, type) := array.concat(
	[r |
		some r in blocks_of(scope(id), type)
		r.value.block == "resource"
		configures_bucket(r, id, config)
	],
	[r |
		some r in other_call_blocks(id, type)
		r.value.block == "resource"
		configures_bucket_from_elsewhere(r, id, config)
	],
)

# The blocks of `type` in the root module and environment of `id` that are not in its own call
# scope.
other_call_blocks(id, type) := [r |
	[call, at] := scope_split(scope(id))
	some i in object.get(object.get(data.ward.graph.index.terraform_modules, split(at, "[")[0], {}), type, [])
	r := data.ward.graph.resources[i]
	[other_call, other_at] := scope_split(scope(r.id))
	other_call != call
	in_scope(other_at, at)
]

# A caller (the root module or an enclosing call) naming the block through an output.
configures_bucket_from_elsewhere(r, id, _) if {
	[call, _] := scope_split(scope(id))
	call != ""
	[other_call, _] := scope_split(scope(r.id))
	startswith(call, other_call)
	full := concat("", [call, address(id)])
	escaped := regex.replace(full, `([.\[\]"\\*+?(){}|^$])`, `\$1`)
	regex.match(concat("", [`(^|[^A-Za-z0-9_.-])`, escaped, `([.\[]|$)`]), r.value.config.bucket)
}

# Any block giving the bucket's literal name.
configures_bucket_from_elsewhere(r, _, config) if {
	name := config.bucket
	is_string(name)
	not unknown(name)
	r.value.config.bucket == name
}

configures_bucket(r, id, _) if {
	refers_to(r.value.expressions.bucket, address(id))
	same_instance(r.value.config.bucket, id)
}

# A reference names one instance of a block with `count` or `for_each` when its key is known
# (`aws_s3_bucket.this["logs"].id`, `aws_s3_bucket.this[0].id`, as ward resolves `[each.key]`
# and `[count.index]` per instance): it relates to that instance only. A reference without a
# known key relates to every instance.
same_instance(text, id) if count(instances_named(text, address(id))) == 0

same_instance(text, id) if instance_key(id) in instances_named(text, address(id))

instances_named(text, addr) := {key |
	is_string(text)
	pattern := concat("", [`(^|[^A-Za-z0-9_.-])`, replace(addr, ".", `\.`), `(\[("([^"\\]|\\.)*"|[0-9]+)\])`])
	some match in regex.find_all_string_submatch_n(pattern, text, -1)
	key := match[2]
}

# `tf:aws_s3_bucket.this["logs"]@infra` -> `["logs"]`; "" for a block without instances.
instance_key(id) := key if {
	[_, inner, _] := id_parts(id)
	found := regex.find_n(`\[.*\]$`, inner, 1)
	key := concat("", found)
}

# `for_each = aws_s3_bucket.all` with `bucket = each.value.id` (or `each.key`).
configures_bucket(r, id, _) if {
	contains(r.value.expressions.bucket, "each.")
	refers_to(r.value.expressions.for_each, address(id))
}

configures_bucket(r, _, config) if {
	name := config.bucket
	is_string(name)
	not unknown(name)
	r.value.config.bucket == name
}

# A list as text, `a, b, c`, whatever its items are.
text_list(list) := concat(", ", [sprintf("%v", [x]) | some x in list])

# A human name for a block: `aws_s3_bucket.assets`.
label(meta) := sprintf("%s.%s", [meta.type, meta.name])

# --- IAM policy documents ---------------------------------------------------------------

# The statements of a policy given as JSON text (a heredoc, a literal, a resolved
# `jsonencode`), as a list; undefined when the text is not JSON.
json_statements(text) := statements if {
	is_string(text)
	json.is_valid(text)
	policy := json.unmarshal(text)
	is_object(policy)
	statements := [s | some s in as_list(object.get(policy, "Statement", [])); is_object(s)]
}

# JSON statement fields, normalised.
json_effect(statement) := object.get(statement, "Effect", "Allow")

json_field_values(statement, field) := as_list(object.get(statement, field, []))

# `Action: "*"` (any service, any action) and, when `report_service_wildcards`, `s3:*`.
wildcard_action(action, _) if action == "*"

wildcard_action(action, report_service_wildcards) if {
	report_service_wildcards
	is_string(action)
	# Most actions end otherwise: the regex runs on the few that end with `:*`.
	endswith(action, ":*")
	regex.match(`^[A-Za-z0-9*-]+:\*$`, action)
}

# An action matches one of the glob patterns, case-insensitively.
action_matches(action, patterns) if {
	is_string(action)
	some pattern in patterns
	glob.match(lower(pattern), [], lower(action))
}

# Where a policy is an unresolved expression (`jsonencode({... "${aws_s3_bucket.x.arn}" ...})`),
# the strings written after a key (`Action = [...]`, `"Resource": "*"`), read from its text.
expression_values(text, key) := [v |
	pattern := sprintf(`(?:^|[^A-Za-z])"?%s"?\s*[=:]\s*(\[[^\]]*\]|"[^"]*")`, [key])
	some match in regex.find_all_string_submatch_n(pattern, text, -1)
	some quoted in regex.find_n(`"[^"]*"`, match[1], -1)
	v := trim(quoted, `"`)
]

# --- Security groups -------------------------------------------------------------------

open_cidrs := {"0.0.0.0/0", "::/0"}

# A CIDR that contains the whole internet: any address with a prefix length of 0
# (`0.0.0.0/0`, `::/0`, and `0::/0`, `1.2.3.4/0`, `0.0.0.0/00` as AWS reads them).
open_cidr(cidr) if cidr in open_cidrs

open_cidr(cidr) if {
	is_string(cidr)
	regex.match(`^\s*([0-9]{1,3}(\.[0-9]{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)/0+\s*$`, cidr)
}

# An IPv6 range that holds every global unicast address (`2000::/3`, all the IPv6 internet):
# `::/1`, `::/2`, `2000::/3` are the whole internet as much as `::/0`.
open_cidr(cidr) if {
	ipv6_cidr(cidr)
	net.cidr_contains(trim_space(cidr), "2000::/3")
}

ipv6_cidr(cidr) if {
	is_string(cidr)
	contains(cidr, ":")
	net.cidr_is_valid(trim_space(cidr))
}

ipv4_cidr(cidr) if {
	is_string(cidr)
	regex.match(`^\s*[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}\s*$`, cidr)
	net.cidr_is_valid(trim_space(cidr))
}

# The open ranges of one list of CIDRs (`cidr_blocks`), each {at, cidr}: each CIDR that is open
# on its own (`at` its index), and, when none is, the list whose ranges together hold the
# whole internet (`0.0.0.0/1` with `128.0.0.0/1`; `at` null): every /8 of IPv4, or of IPv6's
# `2000::/3`, inside one of them.
open_ranges(cidrs) := {{"at": j, "cidr": c} | some j, c in cidrs; open_cidr(c)} if any_open(cidrs)

open_ranges(cidrs) := {{"at": null, "cidr": concat(" + ", [c | some c in cidrs; is_string(c)])}} if {
	not any_open(cidrs)
	covers_internet(cidrs)
}

open_ranges(cidrs) := set() if {
	not any_open(cidrs)
	not covers_internet(cidrs)
}

any_open(cidrs) if {
	some cidr in cidrs
	open_cidr(cidr)
}

covers_internet(cidrs) if {
	count(cidrs) > 1
	ipv4 := [trim_space(c) | some c in cidrs; ipv4_cidr(c)]
	count(ipv4) > 1
	every octet in numbers.range(0, 255) {
		some c in ipv4
		net.cidr_contains(c, sprintf("%d.0.0.0/8", [octet]))
	}
}

covers_internet(cidrs) if {
	count(cidrs) > 1
	ipv6 := [trim_space(c) | some c in cidrs; ipv6_cidr(c)]
	count(ipv6) > 1
	every block in ipv6_unicast_blocks {
		some c in ipv6
		net.cidr_contains(c, block)
	}
}

# `2000::/3` as its 32 /8 blocks.
ipv6_unicast_blocks := [sprintf("%s00::/8", [hex]) | some hex in [
	"20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "2a", "2b", "2c", "2d", "2e", "2f",
	"30", "31", "32", "33", "34", "35", "36", "37", "38", "39", "3a", "3b", "3c", "3d", "3e", "3f",
]]

# Where an open range is: the CIDR itself, or the whole list for ranges open only together.
range_path(base, open) := array.concat(base, [open.at]) if open.at != null

range_path(base, open) := base if open.at == null

# Protocols that carry no ports, and the ones that mean "everything".
all_protocols := {"-1", "all"}

no_port_protocols := {"icmp", "icmpv6", "1", "58"}

# The ingress rules of the resource under evaluation (`input`) that are open to the world,
# each as {path, cidr, from, to, protocol, what}. `path` points at the value that opens it.
world_ingress contains rule if {
	input.meta.type in {"aws_security_group", "aws_default_security_group"}
	some i, block in input.object.config.ingress
	# Written blocks; those a `dynamic` block generated follow them and are judged below.
	i < count(object.get(input.object.expressions, "ingress", []))
	some field in ["cidr_blocks", "ipv6_cidr_blocks"]
	some open in open_ranges(as_list(object.get(block, field, [])))
	rule := {
		"path": range_path(["config", "ingress", i, field], open),
		"cidr": open.cidr,
		"from": port_value(object.get(block, "from_port", null)),
		"to": port_value(object.get(block, "to_port", null)),
		"protocol": object.get(block, "protocol", "tcp"),
		"what": "an ingress block",
	}
}

# `dynamic "ingress"` blocks, as ward expanded them (`expanded`: one block per item of a
# `for_each` known statically; an unknown `for_each` generates nothing to judge).
world_ingress contains rule if {
	input.meta.type in {"aws_security_group", "aws_default_security_group"}
	some i, dynamic in input.object.config.dynamic
	some block in dynamic.ingress.expanded
	some field in ["cidr_blocks", "ipv6_cidr_blocks"]
	some open in open_ranges(as_list(object.get(block, field, [])))
	written := object.get(object.get(dynamic.ingress, "content", [{}])[0], field, null)
	rule := {
		"path": dynamic_path(i, written, field),
		"cidr": open.cidr,
		"from": port_value(object.get(block, "from_port", null)),
		"to": port_value(object.get(block, "to_port", null)),
		"protocol": object.get(block, "protocol", "tcp"),
		"what": dynamic_what(written, input.object.expressions.dynamic[i].ingress),
	}
}

dynamic_what(written, _) := "a dynamic ingress block" if not iterated(written)

dynamic_what(written, expressions) := sprintf("a dynamic ingress block (for_each = %s)", [trim_space(expressions.for_each)]) if {
	iterated(written)
}

# A content value that came from the iteration: unknown until the iterator is bound.
iterated(written) if unknown(written)

iterated(written) if {
	is_array(written)
	some item in written
	unknown(item)
}

# A separate rule resource.
world_ingress contains rule if {
	input.meta.type == "aws_security_group_rule"
	input.object.config.type == "ingress"
	some field in ["cidr_blocks", "ipv6_cidr_blocks"]
	some open in open_ranges(as_list(object.get(input.object.config, field, [])))
	rule := {
		"path": range_path(["config", field], open),
		"cidr": open.cidr,
		"from": port_value(object.get(input.object.config, "from_port", null)),
		"to": port_value(object.get(input.object.config, "to_port", null)),
		"protocol": object.get(input.object.config, "protocol", "tcp"),
		"what": "the rule",
	}
}

world_ingress contains rule if {
	input.meta.type == "aws_vpc_security_group_ingress_rule"
	some field in ["cidr_ipv4", "cidr_ipv6"]
	cidr := input.object.config[field]
	open_cidr(cidr)
	rule := {
		"path": ["config", field],
		"cidr": cidr,
		"from": port_value(object.get(input.object.config, "from_port", null)),
		"to": port_value(object.get(input.object.config, "to_port", null)),
		"protocol": object.get(input.object.config, "ip_protocol", "tcp"),
		"what": "the rule",
	}
}

# A literal open CIDR in a dynamic block's content points at itself; one that comes from the
# iteration points at `for_each`, where the open range is written (or fed in).
dynamic_path(i, written, field) := ["config", "dynamic", i, "ingress", "content", 0, field] if {
	not iterated(written)
}

dynamic_path(i, written, _) := ["config", "dynamic", i, "ingress", "for_each"] if iterated(written)

# A port as Terraform gives it to the provider: the argument is a number, so a string of digits
# (`for_each = toset(["22"])` with `from_port = each.value`) is converted to one.
port_value(value) := value if not is_string(value)

port_value(value) := to_number(trim_space(value)) if {
	is_string(value)
	regex.match(`^\s*-?[0-9]+\s*$`, value)
}

port_value(value) := value if {
	is_string(value)
	not regex.match(`^\s*-?[0-9]+\s*$`, value)
}

# Whether a rule's protocol opens every port.
all_ports(rule) if lower(sprintf("%v", [rule.protocol])) in all_protocols

carries_ports(rule) if not lower(sprintf("%v", [rule.protocol])) in no_port_protocols

# Whether an open ingress rule reaches `port`.
reaches(rule, _) if all_ports(rule)

reaches(rule, port) if {
	carries_ports(rule)
	is_number(rule.from)
	is_number(rule.to)
	rule.from <= port
	port <= rule.to
}

# "port 22", "ports 0-65535", "all ports"
ports_text(rule) := "all ports" if all_ports(rule)

ports_text(rule) := sprintf("port %v", [rule.from]) if {
	not all_ports(rule)
	rule.from == rule.to
}

ports_text(rule) := sprintf("ports %v-%v", [rule.from, rule.to]) if {
	not all_ports(rule)
	rule.from != rule.to
}

# --- IAM identity policies of the resource under evaluation -----------------------------

# Identity-policy attributes holding a policy's JSON, by resource type.
identity_policy_attributes := {
	"aws_iam_policy": "policy",
	"aws_iam_role_policy": "policy",
	"aws_iam_user_policy": "policy",
	"aws_iam_group_policy": "policy",
	"aws_ssoadmin_permission_set_inline_policy": "inline_policy",
}

# The statements of the identity policies `input` holds, normalised to {name, effect, actions,
# not_actions, resources, conditional, actions_path, resources_path}: `aws_iam_policy_document`
# statements, JSON policies (literal, heredoc, resolved `jsonencode`) and a role's
# `inline_policy` blocks. The paths point at the list of actions and of resources (at the
# policy attribute for JSON).
iam_statements contains statement if {
	input.meta.type == "aws_iam_policy_document"
	input.object.block == "data"
	# Unknown statements (`${…}`) have nothing to read.
	is_array(input.object.config.statement)
	some i, s in input.object.config.statement
	statement := {
		"name": sprintf("policy document %s, statement %s", [input.meta.name, statement_id(object.get(s, "sid", ""), i)]),
		"effect": object.get(s, "effect", "Allow"),
		"actions": as_list(object.get(s, "actions", [])),
		"not_actions": known_list(object.get(s, "not_actions", [])),
		"resources": as_list(object.get(s, "resources", [])),
		"not_resources": known_list(object.get(s, "not_resources", [])),
		"conditional": count(object.get(s, "condition", [])) > 0,
		"actions_path": ["config", "statement", i, actions_key(s)],
		"resources_path": ["config", "statement", i, resources_key(s)],
	}
}

iam_statements contains statement if {
	input.object.block == "resource"
	attribute := identity_policy_attributes[input.meta.type]
	some i, s in json_statements(input.object.config[attribute])
	statement := json_statement(s, i, sprintf("%s", [label(input.meta)]), ["config", attribute])
}

iam_statements contains statement if {
	input.meta.type == "aws_iam_role"
	input.object.block == "resource"
	some k, inline in input.object.config.inline_policy
	some i, s in json_statements(inline.policy)
	name := sprintf("%s, inline policy %s", [label(input.meta), object.get(inline, "name", sprintf("#%d", [k + 1]))])
	statement := json_statement(s, i, name, ["config", "inline_policy", k, "policy"])
}

json_statement(s, i, owner, path) := {
	"name": sprintf("%s, statement %s", [owner, statement_id(object.get(s, "Sid", ""), i)]),
	"effect": json_effect(s),
	"actions": json_field_values(s, "Action"),
	"not_actions": known_list(json_field_values(s, "NotAction")),
	"resources": json_field_values(s, "Resource"),
	"not_resources": known_list(json_field_values(s, "NotResource")),
	"conditional": count(object.get(s, "Condition", {})) > 0,
	"actions_path": path,
	"resources_path": path,
}

# A statement's `Sid`, or its position when it has none (or one that is empty or not known).
statement_id(sid, _) := sid if named_sid(sid)

statement_id(sid, i) := sprintf("#%d", [i + 1]) if not named_sid(sid)

named_sid(sid) if {
	is_string(sid)
	sid != ""
	not unknown(sid)
}

# A value for a message: an unknown one as its expression (`module.eks.cluster_arn`).
readable(value) := trim_suffix(trim_prefix(value, "${"), "}") if unknown(value)

readable(value) := value if not unknown(value)

# The known members of a value or list: a `NotAction` that is not known grants nothing ward can
# name, so it is not judged.
known_list(x) := [v | some v in as_list(x); not unknown(v)]

resources_key(s) := "not_resources" if resources_key_not(s)

resources_key(s) := "resources" if not resources_key_not(s)

resources_key_not(s) if {
	not s.resources
	s.not_resources
}

# Whether a statement applies to every resource: `Resource: "*"`, or `NotResource` (every
# resource but those listed).
every_resource(statement) if "*" in statement.resources

every_resource(statement) if count(statement.not_resources) > 0

# The resources a statement names, for a message.
resources_text(statement) := "every resource" if "*" in statement.resources

resources_text(statement) := sprintf("every resource except %s (NotResource)", [text_list(statement.not_resources)]) if {
	not "*" in statement.resources
	count(statement.not_resources) > 0
}

resources_text(statement) := text_list([readable(r) | some r in statement.resources]) if {
	not every_resource(statement)
	count(statement.resources) > 0
}

resources_text(statement) := "its resources" if {
	count(statement.resources) == 0
	count(statement.not_resources) == 0
}

actions_key(s) := "actions" if s.actions

actions_key(s) := "not_actions" if {
	not s.actions
	s.not_actions
}

actions_key(s) := "actions" if {
	not s.actions
	not s.not_actions
}

# The statements of a JSON identity policy that could not be resolved (a `jsonencode` with
# references in it), read from its text: each innermost `{…}` (after `${…}` references are
# blanked out) that has an `Action` key and does not say `Deny`. A statement with a nested
# object (a `Condition`) is never innermost, so it is never read. Each is {name, text, path}.
unresolved_statements contains statement if {
	input.object.block == "resource"
	attribute := identity_policy_attributes[input.meta.type]
	unknown(input.object.config[attribute])
	text := regex.replace(input.object.expressions[attribute], `\$\{[^{}]*\}`, "(reference)")
	some i, chunk in regex.find_n(`\{[^{}]*\}`, text, -1)
	count(expression_values(chunk, "Action")) > 0
	not contains(chunk, "Deny")
	statement := {
		"name": sprintf("%s, statement %s", [label(input.meta), statement_name(chunk, i)]),
		"text": chunk,
		"path": ["config", attribute],
	}
}

statement_name(chunk, _) := sids[0] if {
	sids := expression_values(chunk, "Sid")
	count(sids) > 0
}

statement_name(chunk, i) := sprintf("#%d", [i + 1]) if count(expression_values(chunk, "Sid")) == 0
