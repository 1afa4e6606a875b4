# METADATA
# title: HTTP listeners only redirect to HTTPS
# description: >-
#   A load balancer listener that serves plain HTTP sends cookies, tokens and form data in
#   clear text to anyone on the path, and lets an attacker strip the upgrade to HTTPS. Port 80
#   should only answer with a redirect to HTTPS. Checked on `aws_lb_listener` and
#   `aws_alb_listener` with protocol `HTTP` (or with no protocol, on an application load
#   balancer of the same module, where HTTP is the default): every `default_action` must be a
#   `redirect` with `protocol = "HTTPS"`. Listener rules (`aws_lb_listener_rule`,
#   `aws_alb_listener_rule`) attached to such a listener must not forward either.
#   A value ward cannot know before `terraform apply` (`${…}`: a resource's attribute, a variable with no default nor tfvars value) is not reported: the rule passes on it.
# related_resources:
#   - https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions
#   - https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-1
#   - https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html
# custom:
#   id: AWS-018
#   severity: high
#   kinds: [terraform]
#   types: [aws_lb_listener, aws_alb_listener, aws_lb_listener_rule, aws_alb_listener_rule]
#   remediation: >-
#     Make the HTTP listener's default action `type = "redirect"` with `redirect { port = "443",
#     protocol = "HTTPS", status_code = "HTTP_301" }`, and serve traffic from an HTTPS listener.
package ward.terraform_aws.lb_http_redirect

import rego.v1

import data.ward.terraform_aws.lib

listener_types := {"aws_lb_listener", "aws_alb_listener"}

rule_types := {"aws_lb_listener_rule", "aws_alb_listener_rule"}

deny contains result if {
	input.meta.type in listener_types
	input.object.block == "resource"
	plain_http(input.meta.id, input.object)
	some i, action in input.object.config.default_action
	not redirects_to_https(action)
	result := {
		"msg": sprintf("HTTP listener %s %s", [input.meta.name, does(action)]),
		"path": listener_path(input.object, i),
	}
}

# Where a listener's finding is: its protocol when it is a variable's (`protocol = var.protocol`,
# `var.http ? "HTTP" : "HTTPS"`: set by a module's caller or an environment's tfvars), so that
# the finding lands where the value that makes the listener plain HTTP is written — the caller's
# argument for a module; otherwise the action that does not redirect.
listener_path(listener, _) := ["config", "protocol"] if protocol_from_elsewhere(listener)

listener_path(listener, i) := ["config", "default_action", i] if not protocol_from_elsewhere(listener)

protocol_from_elsewhere(listener) if {
	text := listener.expressions.protocol
	is_string(text)
	regex.match(`(^|[^A-Za-z0-9_.])var\.`, text)
}

# A listener rule on a plain-HTTP listener of the same module.
deny contains result if {
	input.meta.type in rule_types
	input.object.block == "resource"
	some type in listener_types
	some listener in lib.blocks_of(lib.scope(input.meta.id), type)
	lib.refers_to(input.object.expressions.listener_arn, lib.address(listener.id))
	plain_http(listener.id, listener.value)
	some i, action in input.object.config.action
	not redirects_to_https(action)
	result := {
		"msg": sprintf("listener rule %s on HTTP listener %s %s", [input.meta.name, listener.name, does(action)]),
		"path": ["config", "action", i],
	}
}

plain_http(_, listener) if {
	is_string(listener.config.protocol)
	upper(listener.config.protocol) == "HTTP"
}

# No protocol: HTTP on an application load balancer (the default type) of the same module.
plain_http(id, listener) if {
	not listener.config.protocol
	not listener.config.certificate_arn
	some type in {"aws_lb", "aws_alb"}
	some lb in lib.blocks_of(lib.scope(id), type)
	lib.refers_to(listener.expressions.load_balancer_arn, lib.address(lb.id))
	object.get(lb.value.config, "load_balancer_type", "application") == "application"
}

redirects_to_https(action) if {
	action.type == "redirect"
	some redirect in action.redirect
	is_string(redirect.protocol)
	upper(redirect.protocol) == "HTTPS"
}

does(action) := "redirects, but not to HTTPS" if action.type == "redirect"

does(action) := "forwards traffic instead of redirecting to HTTPS" if action.type == "forward"

does(action) := sprintf("answers with a %s instead of redirecting to HTTPS", [action.type]) if {
	not action.type in {"forward", "redirect"}
}
