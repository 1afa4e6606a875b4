# METADATA
# title: Security groups do not open admin or database ports to the internet
# description: >-
#   SSH, RDP, database, cache and cluster-admin ports reachable from `0.0.0.0/0` or `::/0` are
#   found by internet-wide scanners within minutes and then brute-forced or exploited; a
#   database port open to the world is one weak password away from a breach. Checked on every
#   ingress rule that is open to the world: `ingress` blocks and `dynamic "ingress"` blocks of
#   `aws_security_group` (expanded by ward into one block per `for_each` item, as
#   resolved for each environment), `aws_security_group_rule` with `type = "ingress"`, and
#   `aws_vpc_security_group_ingress_rule`. A rule reaches a port when its range covers it or its
#   protocol is `-1` (all traffic). The ports are the `admin_ports` param (22, 3389, 3306, 5432,
#   1433, 27017, 6379, 9200, …). Open to the world means a range holding the whole internet:
#   any `/0`, an IPv6 range holding all of `2000::/3` (`::/1`), or a rule's ranges that do so
#   together (`0.0.0.0/1` with `128.0.0.0/1`). A range that is not known (`${var.cidrs}` with no
#   value) is not reported.
#   A value ward cannot know before `terraform apply` (`${…}`: a resource's attribute, a variable with no default nor tfvars value) is not reported: the rule passes on it.
# related_resources:
#   - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
#   - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-13
#   - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-19
#   - https://www.cisecurity.org/benchmark/amazon_web_services
# custom:
#   id: AWS-013
#   severity: critical
#   kinds: [terraform]
#   types: [aws_security_group, aws_default_security_group, aws_security_group_rule, aws_vpc_security_group_ingress_rule]
#   remediation: >-
#     Allow the port from the security groups that need it (`security_groups` /
#     `referenced_security_group_id`) or from a known CIDR (office, VPN); reach hosts through
#     SSM Session Manager instead of SSH/RDP.
package ward.terraform_aws.sg_admin_ports_open

import rego.v1

import data.ward.terraform_aws.lib

admin_ports := object.get(input.params, "admin_ports", [22, 3389])

deny contains result if {
	some rule in lib.world_ingress
	lib.carries_ports(rule)
	reached := sort([p | some p in admin_ports; lib.reaches(rule, p)])
	count(reached) > 0
	result := {
		"msg": message(rule, reached),
		"path": rule.path,
	}
}

message(rule, reached) := sprintf("%s: %s opens admin/database port %v to %s", [
	lib.label(input.meta), rule.what, reached[0], rule.cidr,
]) if single_port(rule)

message(rule, reached) := sprintf("%s: %s opens %s to %s, including admin/database port%s %s", [
	lib.label(input.meta), rule.what, lib.ports_text(rule), rule.cidr, plural(reached), listed(reached),
]) if not single_port(rule)

single_port(rule) if {
	not lib.all_ports(rule)
	rule.from == rule.to
}

listed(ports) := concat(", ", [sprintf("%v", [p]) | some p in ports]) if count(ports) <= 5

listed(ports) := sprintf("%s and %d more", [concat(", ", [sprintf("%v", [p]) | some p in array.slice(ports, 0, 5)]), count(ports) - 5]) if count(ports) > 5

plural(list) := "" if count(list) == 1

plural(list) := "s" if count(list) > 1
