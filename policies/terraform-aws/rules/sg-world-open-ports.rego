# METADATA
# title: Only web ports are open to the internet
# description: >-
#   Anything a security group opens to `0.0.0.0/0` or `::/0` is attack surface: an application
#   port (8000, 8080, 9090) reachable directly bypasses the load balancer's TLS, WAF, and access
#   logs, and a debug or metrics endpoint leaks internals. Only the ports of the `public_ports`
#   param (80 and 443 by default) should face the internet, on a load balancer; everything
#   behind it should admit traffic from the load balancer's security group. Checked on the same
#   ingress rules as AWS-013 (which reports rules that reach an admin or database port; this
#   rule reports the others).
#   A value ward cannot know before `terraform apply` (`${…}`: a resource's attribute, a variable with no default nor tfvars value) is not reported: the rule passes on it.
# related_resources:
#   - https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html
#   - https://docs.aws.amazon.com/securityhub/latest/userguide/ec2-controls.html#ec2-18
#   - https://docs.aws.amazon.com/AmazonECS/latest/bestpracticesguide/security-network.html
# custom:
#   id: AWS-014
#   severity: medium
#   kinds: [terraform]
#   types: [aws_security_group, aws_default_security_group, aws_security_group_rule, aws_vpc_security_group_ingress_rule]
#   remediation: >-
#     Put the service behind a load balancer and allow its port only from the load balancer's
#     security group (`security_groups = [aws_security_group.lb.id]`), or narrow the CIDR to the
#     networks that need it.
package ward.terraform_aws.sg_world_open_ports

import rego.v1

import data.ward.terraform_aws.lib

admin_ports := object.get(input.params, "admin_ports", [22, 3389])

public_ports := object.get(input.params, "public_ports", [80, 443])

deny contains result if {
	some rule in lib.world_ingress
	lib.carries_ports(rule)
	not lib.all_ports(rule)
	is_number(rule.from)
	is_number(rule.to)
	# AWS-013 reports these.
	count([p | some p in admin_ports; lib.reaches(rule, p)]) == 0
	not only_public(rule)
	result := {
		"msg": sprintf("%s: %s opens %s to %s (only %s may face the internet)", [
			lib.label(input.meta), rule.what, lib.ports_text(rule), rule.cidr,
			concat(", ", [sprintf("%v", [p]) | some p in public_ports]),
		]),
		"path": rule.path,
	}
}

# Every port of the range is a public port.
only_public(rule) if {
	count([p | some p in public_ports; rule.from <= p; p <= rule.to]) == (rule.to - rule.from) + 1
}
