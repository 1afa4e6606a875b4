package ward.terraform_aws.lib_test

import rego.v1

import data.ward.terraform_aws.lib

test_refers_to_names_the_block_and_not_a_longer_one if {
	lib.refers_to("aws_s3_bucket.logs.id", "aws_s3_bucket.logs")
	lib.refers_to("aws_s3_bucket.logs[each.key].arn", "aws_s3_bucket.logs")
	lib.refers_to("\"${aws_s3_bucket.logs.arn}/*\"", "aws_s3_bucket.logs")
	not lib.refers_to("aws_s3_bucket.logs_archive.id", "aws_s3_bucket.logs")
	not lib.refers_to("data.aws_s3_bucket.logs.id", "aws_s3_bucket.logs")
}

test_scope_ignores_the_duplicate_suffix if {
	lib.scope("tf:aws_s3_bucket.logs@infra[production]") == "infra[production]"
	lib.scope("tf:provider.aws@.#2") == "."
	lib.module_of("tf:aws_s3_bucket.logs@infra[production]") == "infra"
	lib.address("tf:data.aws_iam_policy_document.x@infra") == "data.aws_iam_policy_document.x"
}

test_address_names_the_block_of_an_instance if {
	lib.address("tf:aws_s3_bucket.logs[\"a\"]@infra") == "aws_s3_bucket.logs"
	lib.address("tf:aws_instance.web[0]@infra[prod]") == "aws_instance.web"
}

test_in_scope_joins_a_block_standing_for_every_environment if {
	lib.in_scope("infra[prod]", "infra[prod]")
	lib.in_scope("infra", "infra[prod]")
	lib.in_scope("infra[prod]", "infra")
	not lib.in_scope("infra[prod]", "infra[dev]")
	not lib.in_scope("infra", "app")
}

test_iterated_content_is_unknown_until_the_iterator_is_bound if {
	lib.iterated("${rule.value.cidr}")
	lib.iterated(["${ingress.value}"])
	not lib.iterated(["0.0.0.0/0"])
	not lib.iterated(22)
}

test_expression_values_reads_jsonencode_text if {
	text := "jsonencode({\n  Statement = [{\n    Action   = [\"s3:GetObject\", \"*\"]\n    NotAction = \"iam:*\"\n    \"Resource\": \"*\"\n  }]\n})"
	lib.expression_values(text, "Action") == ["s3:GetObject", "*"]
	lib.expression_values(text, "Resource") == ["*"]
}

test_unresolved_statements_skip_deny_and_conditions if {
	policy := concat("\n", [
		"jsonencode({ Statement = [",
		"  { Effect = \"Allow\", Action = [\"s3:GetObject\"], Resource = \"${aws_s3_bucket.x.arn}/*\" },",
		"  { Effect = \"Deny\", Action = \"*\", Resource = \"*\" },",
		"  { Effect = \"Allow\", Action = \"*\", Resource = \"*\", Condition = { Bool = { \"aws:MultiFactorAuthPresent\" = \"true\" } } },",
		"]})",
	])
	statements := lib.unresolved_statements with input as {
		"meta": {"type": "aws_iam_policy", "name": "p"},
		"object": {"block": "resource", "config": {"policy": "${jsonencode(...)}"}, "expressions": {"policy": policy}},
	}
	count(statements) == 1
	some statement in statements
	lib.expression_values(statement.text, "Action") == ["s3:GetObject"]
}

test_world_ingress_expands_dynamic_blocks if {
	rules := lib.world_ingress with input as {
		"meta": {"type": "aws_security_group", "name": "tasks"},
		"object": {
			"block": "resource",
			"config": {"dynamic": [{"ingress": {
				"for_each": ["10.0.0.0/8", "0.0.0.0/0"],
				"content": [{"from_port": 8000, "to_port": 8000, "protocol": "tcp", "cidr_blocks": ["${ingress.value}"]}],
				"expanded": [
					{"from_port": 8000, "to_port": 8000, "protocol": "tcp", "cidr_blocks": ["10.0.0.0/8"]},
					{"from_port": 8000, "to_port": 8000, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]},
				],
			}}]},
			"expressions": {"dynamic": [{"ingress": {"for_each": "var.cidrs", "content": [{}]}}]},
		},
	}
	count(rules) == 1
	some rule in rules
	rule.cidr == "0.0.0.0/0"
	rule.path == ["config", "dynamic", 0, "ingress", "for_each"]
	lib.reaches(rule, 8000)
	not lib.reaches(rule, 22)
}

test_all_traffic_reaches_every_port if {
	lib.reaches({"protocol": "-1", "from": 0, "to": 0}, 3389)
	lib.reaches({"protocol": -1, "from": null, "to": null}, 22)
	not lib.carries_ports({"protocol": "icmp", "from": 8, "to": 0})
}

test_known_booleans if {
	lib.is_true(true)
	lib.is_true("True")
	lib.is_false("false")
	not lib.is_true("${var.enabled}")
	not lib.is_false(null)
}

test_not_actions_statements_point_at_not_actions if {
	statements := lib.iam_statements with input as {
		"meta": {"type": "aws_iam_policy_document", "name": "d"},
		"object": {"block": "data", "config": {"statement": [{"not_actions": ["iam:*"], "resources": ["*"]}]}},
	}
	some statement in statements
	statement.actions_path == ["config", "statement", 0, "not_actions"]
	statement.not_actions == ["iam:*"]
}

test_unresolved_statements_are_named_by_sid if {
	policy := "jsonencode({ Statement = [{ Sid = \"Read\", Action = \"s3:GetObject\", Resource = aws_s3_bucket.x.arn }] })"
	statements := lib.unresolved_statements with input as {
		"meta": {"type": "aws_iam_role_policy", "name": "p"},
		"object": {"block": "resource", "config": {"policy": "${jsonencode(...)}"}, "expressions": {"policy": policy}},
	}
	some statement in statements
	statement.name == "aws_iam_role_policy.p, statement Read"
}

test_open_cidr_is_any_prefix_of_length_zero_or_all_of_ipv6_unicast if {
	lib.open_cidr("0.0.0.0/0")
	lib.open_cidr("::/0")
	lib.open_cidr("0::/0")
	lib.open_cidr("0:0:0:0:0:0:0:0/0")
	lib.open_cidr("10.1.2.3/0")
	lib.open_cidr("0.0.0.0/00")
	not lib.open_cidr("0.0.0.0/1")
	not lib.open_cidr("10.0.0.0/8")
	lib.open_cidr("::/1")
	lib.open_cidr("2000::/3")
	lib.open_cidr(" ::/2 ")
	not lib.open_cidr("::/4")
	not lib.open_cidr("2001:db8::/32")
	not lib.open_cidr("fe80::/10")
	not lib.open_cidr("${var.cidr}")
	not lib.open_cidr("not a cidr")
}

test_ranges_open_only_together_are_open if {
	lib.open_ranges(["0.0.0.0/1", "128.0.0.0/1"]) == {{"at": null, "cidr": "0.0.0.0/1 + 128.0.0.0/1"}}
	lib.open_ranges(["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/1", "10.0.0.0/8"]) != set()
	lib.open_ranges(["2000::/4", "3000::/4"]) == {{"at": null, "cidr": "2000::/4 + 3000::/4"}}
	lib.open_ranges(["10.0.0.0/8", "0.0.0.0/0"]) == {{"at": 1, "cidr": "0.0.0.0/0"}}
	lib.open_ranges(["0.0.0.0/1", "192.168.0.0/16"]) == set()
	lib.open_ranges(["0.0.0.0/1"]) == set()
	lib.open_ranges(["${var.a}", "${var.b}"]) == set()
	lib.open_ranges([]) == set()
}

test_blocks_of_an_expanded_module_call_have_their_own_scope if {
	lib.address("tf:module.logs.aws_s3_bucket.this@infra") == "aws_s3_bucket.this"
	lib.address("tf:module.logs[\"a.b\"].module.inner.aws_s3_bucket.this[0]@infra[prod]") == "aws_s3_bucket.this"
	lib.address("tf:module.logs[0]@infra") == "module.logs"
	lib.address("tf:aws_iam_user.u[\"a@b.c\"]@infra") == "aws_iam_user.u"
	lib.scope("tf:module.logs.aws_s3_bucket.this@infra[prod]") == "module.logs.@infra[prod]"
	lib.scope("tf:module.logs[0]@infra") == "infra"
	lib.module_of("tf:module.logs.aws_s3_bucket.this@infra[prod]") == "infra"
	lib.in_scope("module.logs.@infra", "module.logs.@infra[prod]")
	not lib.in_scope("module.logs.@infra", "infra")
	not lib.in_scope("module.logs.@infra", "module.audit.@infra")
	not lib.in_scope("module.logs[0].@infra", "module.logs[1].@infra")
}

test_a_statement_without_a_known_sid_is_named_by_its_position if {
	lib.statement_id("Admin", 0) == "Admin"
	lib.statement_id("", 0) == "#1"
	lib.statement_id("${try(coalesce(statement.value.sid, statement.key))}", 1) == "#2"
	lib.readable("${module.eks.cluster_arn}") == "module.eks.cluster_arn"
	lib.readable("arn:aws:s3:::acme") == "arn:aws:s3:::acme"
}
