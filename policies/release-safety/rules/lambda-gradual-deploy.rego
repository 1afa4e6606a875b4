# METADATA
# title: Lambda functions are released through an alias that shifts traffic gradually
# description: >-
#   A Lambda function invoked without an alias runs `$LATEST`: every `terraform apply` puts the
#   new code in front of all traffic at once, and there is no earlier version to go back to.
#   A production function should publish versions (`publish = true`) and be invoked through an
#   `aws_lambda_alias` whose traffic is moved gradually — weighted with `routing_config`, or
#   by a CodeDeploy deployment group of a Lambda application (`compute_platform = "Lambda"`),
#   which shifts the alias by canary or linear steps and moves it back when an alarm fires.
#   Checked for functions of production (and of Terraform modules that name no environment);
#   the alias and CodeDeploy resources are looked for in the same module and environment.
# related_resources:
#   - https://docs.aws.amazon.com/lambda/latest/dg/configuring-alias-routing.html
#   - https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-steps-lambda.html
#   - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lambda_alias
# custom:
#   id: REL-007
#   severity: medium
#   kinds: [terraform]
#   scope: graph
#   remediation: >-
#     Set `publish = true` on the function, invoke it through an `aws_lambda_alias` (for example
#     `live`), and let a CodeDeploy deployment group of a `compute_platform = "Lambda"`
#     application with a canary or linear configuration (or `routing_config` weights) move the
#     alias to each new version.
package ward.release_safety.lambda_gradual_deploy

import rego.v1

graph := data.ward.graph


# The graph's `by_type` index, not a walk of every resource for every function.
terraform_resources(type) := [r |
	some i in object.get(graph.index.by_type, type, [])
	r := graph.resources[i]
	r.kind == "terraform"
	r.value.block == "resource"
]

functions := [f |
	some f in terraform_resources("aws_lambda_function")
	f.environment in {null, "production"}
]

# The module a resource belongs to: its file's directory, and its environment.
module(r) := [concat("/", array.slice(parts, 0, count(parts) - 1)), r.environment] if parts := split(r.path, "/")

# A lookup in the graph's `edges_from` index (built once per scan), not a walk of every edge for
# every alias and function.
references(from, to) if to in graph.index.edges_from[from].references

aliases(f) := [a |
	some a in terraform_resources("aws_lambda_alias")
	references(a.id, f.id)
]

# A CodeDeploy application for Lambda with a deployment group, in the function's module.
codedeploy_lambda(f) if {
	some app in terraform_resources("aws_codedeploy_app")
	module(app) == module(f)
	app.value.config.compute_platform == "Lambda"
	some group in terraform_resources("aws_codedeploy_deployment_group")
	references(group.id, app.id)
}

weighted(alias) if {
	routings := object.get(alias.value.config, "routing_config", [])
	is_array(routings)
	some routing in routings
	is_object(routing)
	weights := object.get(routing, "additional_version_weights", {})
	is_object(weights)
	count(weights) > 0
}

deny contains result if {
	some f in functions
	count(aliases(f)) == 0
	result := {
		"msg": sprintf("Lambda function %s has no aws_lambda_alias: callers invoke $LATEST, so each deploy reaches all traffic at once and cannot be rolled back to a previous version", [f.name]),
		"path": [],
		"resource": f.id,
	}
}

deny contains result if {
	some f in functions
	count(aliases(f)) > 0
	not codedeploy_lambda(f)
	not any_weighted(f)
	result := {
		"msg": sprintf("Lambda function %s: alias %s moves all traffic to a new version at once (no routing_config weights, no CodeDeploy Lambda deployment group)", [f.name, concat(", ", sort([alias_name(a) | some a in aliases(f)]))]),
		"path": [],
		"resource": aliases(f)[0].id,
	}
}

alias_name(a) := a.value.config.name if is_string(a.value.config.name)

else := a.name

any_weighted(f) if {
	some a in aliases(f)
	weighted(a)
}

deny contains result if {
	some f in functions
	count(aliases(f)) > 0
	not publishes(f)
	result := {
		"msg": sprintf("Lambda function %s does not publish versions (publish = true): its alias has no earlier version to roll back to", [f.name]),
		"path": ["config", "publish"],
		"resource": f.id,
	}
}

publishes(f) if f.value.config.publish == true

publishes(f) if startswith(sprintf("%v", [f.value.config.publish]), "${")
