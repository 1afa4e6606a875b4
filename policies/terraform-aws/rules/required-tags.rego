# METADATA
# title: AWS resources carry the required tags
# description: >-
#   Tags are how a bill is split between teams, how an incident finds its owner, and how
#   automation tells production from staging: an untagged resource is one nobody pays for,
#   answers for, or dares to delete. Every taggable `aws_*` resource — a type in the
#   `taggable_resource_types` param, or any resource that sets `tags` — must end up with every
#   tag of the `required_tags` param (`env`, `service`, `owner`, `cost_center`), from its own
#   `tags` or from the `default_tags` of the `aws` provider it uses (the aliased one with
#   `provider = aws.<alias>`). Keys are compared case-insensitively and ignoring `_`, `-`, `.`,
#   `:` and spaces (`CostCenter` is `cost_center`), and the `tag_aliases` param accepts other
#   names (`Environment` for `env`, `Project` for `service`, …). Resources whose tags, or whose
#   provider's default tags, cannot be known statically (`merge(…)` of unknown values) are not
#   judged, nor is a module judged on its own when it has no `aws` provider block (its
#   callers' provider decides its default tags). A module a call expands gets its
#   caller's provider (the default one, or the one the call's `providers` maps it to), as
#   Terraform passes it down. An `aws_autoscaling_group` is tagged by its `tag` blocks (often a
#   `dynamic "tag"`): the provider's `default_tags` do not apply to it.
#   A value ward cannot know before `terraform apply` (`${…}`: a resource's attribute, a variable with no default nor tfvars value) is not reported: the rule passes on it.
# related_resources:
#   - https://docs.aws.amazon.com/tag-editor/latest/userguide/best-practices-and-strats.html
#   - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/guides/resource-tagging
#   - https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/cost-alloc-tags.html
# custom:
#   id: AWS-019
#   severity: low
#   kinds: [terraform]
#   remediation: >-
#     Set the tags once in the provider: `provider "aws" { default_tags { tags = { env = …,
#     service = …, owner = …, cost_center = … } } }`, and add resource-specific ones in `tags`.
package ward.terraform_aws.required_tags

import rego.v1

import data.ward.terraform_aws.lib

required := object.get(input.params, "required_tags", [])

aliases := object.get(input.params, "tag_aliases", {})

taggable_types := object.get(input.params, "taggable_resource_types", [])

deny contains result if {
	input.object.block == "resource"
	startswith(input.meta.type, "aws_")
	taggable
	own := own_tags
	defaults := applied_default_tags
	present := {normalize(key) | some key, _ in object.union(defaults, own)}
	missing := [tag | some tag in required; not satisfied(tag, present)]
	count(missing) > 0
	result := {
		"msg": sprintf("%s is missing required tag%s %s (%s)", [
			lib.label(input.meta), plural(missing), concat(", ", missing), where_tags_come_from,
		]),
		"path": tags_path,
	}
}

taggable if input.meta.type in taggable_types

taggable if "tags" in object.keys(input.object.config)

# The resource's own tags: none, or a map with known keys.
own_tags := {} if {
	not auto_scaling_group
	not "tags" in object.keys(input.object.config)
}

own_tags := input.object.config.tags if {
	not auto_scaling_group
	is_object(input.object.config.tags)
}

# An auto scaling group is tagged by `tag` blocks (`key`, `value`, `propagate_at_launch`; often
# a `dynamic "tag"` over a map), or by provider v3's `tags` list of such objects; a tag whose key
# is not known leaves its tags unknown.
auto_scaling_group if input.meta.type == "aws_autoscaling_group"

own_tags := {tag.key: object.get(tag, "value", "") |
	some tag in asg_tag_objects
} if {
	auto_scaling_group
	every tag in asg_tag_objects {
		is_object(tag)
		is_string(tag.key)
		not lib.unknown(tag.key)
	}
}

asg_tag_objects := array.concat(object.get(input.object.config, "tag", []), legacy_asg_tags)

legacy_asg_tags := tags if {
	tags := object.get(input.object.config, "tags", [])
	is_array(tags)
}

legacy_asg_tags := [] if not is_array(object.get(input.object.config, "tags", []))

tags_path := ["config", "tags"] if {
	not auto_scaling_group
	"tags" in object.keys(input.object.config)
}

tags_path := ["config", "tag"] if {
	auto_scaling_group
	count(object.get(input.object.config, "tag", [])) > 0
}

tags_path := ["config", "tags"] if {
	auto_scaling_group
	not count(object.get(input.object.config, "tag", [])) > 0
	"tags" in object.keys(input.object.config)
}

tags_path := [] if {
	not "tags" in object.keys(input.object.config)
	not count(object.get(input.object.config, "tag", [])) > 0
}

# The `aws` provider block the resource uses, in its module and environment (undefined when
# the module has none, or — invalid Terraform — several with the same alias). A module a call
# expanded uses its own provider blocks when it has any (legacy modules configure one), else
# its caller's, as Terraform passes them down: the root module's default provider, or the one
# the outermost call maps it to with `providers = { aws = aws.<alias> }`.
own_providers := [p |
	some p in lib.blocks_of(own_scope, "provider")
	p.value.name == "aws"
]

# The resource's scope (its module call and environment), worked out once per evaluation.
own_scope := lib.scope(input.meta.id)

providers := [p |
	some p in own_providers
	object.get(p.value.config, "alias", "") == provider_alias
] if count(own_providers) > 0

providers := [p |
	some p in lib.blocks_of(root_scope, "provider")
	p.value.name == "aws"
	object.get(p.value.config, "alias", "") == caller_alias
] if {
	count(own_providers) == 0
	root_scope != own_scope
}

provider := providers[0] if count(providers) == 1

# The root module (and environment) of an expanded module's block, and the call that reaches
# it from there.
root_scope := lib.scope_split(own_scope)[1]

outermost_call := name if {
	[call, _] := lib.scope_split(own_scope)
	name := regex.find_all_string_submatch_n(`^module\.([A-Za-z0-9_-]+)`, call, 1)[0][1]
}

outermost_call_blocks := lib.named_blocks_of(root_scope, "module", outermost_call)

# The provider key the resource asks for (`aws`, `aws.<alias>`), as the outermost call maps it.
provider_key := "aws" if provider_alias == ""

provider_key := concat(".", ["aws", provider_alias]) if provider_alias != ""

caller_alias := provider_alias if {
	count(outermost_call_blocks) > 0
	every c in outermost_call_blocks {
		not c.value.expressions.providers
	}
}

caller_alias := alias if {
	some c in outermost_call_blocks
	mappings := regex.find_all_string_submatch_n(`(aws(\.[A-Za-z0-9_-]+)?)\s*=\s*(aws(\.[A-Za-z0-9_-]+)?)`, c.value.expressions.providers, -1)
	some m in mappings
	m[1] == provider_key
	alias := trim_prefix(m[4], ".")
}

provider_alias := trim_prefix(trim_space(input.object.expressions.provider), "aws.") if {
	is_string(input.object.expressions.provider)
}

provider_alias := "" if not input.object.expressions.provider

# The provider's default tags, which the AWS provider applies to every resource but auto
# scaling groups (their instances are tagged from the group's `tag` blocks).
applied_default_tags := provider_default_tags if not auto_scaling_group

applied_default_tags := {} if auto_scaling_group

where_tags_come_from := "in its tags or its provider's default_tags" if not auto_scaling_group

where_tags_come_from := "in its tag blocks: the provider's default_tags do not apply to auto scaling groups" if {
	auto_scaling_group
}

provider_default_tags := {} if {
	count(object.get(provider.value.config, "default_tags", [])) == 0
}

provider_default_tags := tags if {
	tags := object.get(provider.value.config.default_tags[0], "tags", {})
	is_object(tags)
}

normalize(key) := lower(regex.replace(key, `[^A-Za-z0-9]`, ""))

satisfied(tag, present) if normalize(tag) in present

satisfied(tag, present) if {
	some alias in object.get(aliases, tag, [])
	normalize(alias) in present
}

plural(list) := "" if count(list) == 1

plural(list) := "s" if count(list) > 1
