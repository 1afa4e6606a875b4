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
#   judged, nor are modules without an `aws` provider block (a child module gets its caller's
#   default tags).
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
	defaults := provider_default_tags
	present := {normalize(key) | some key, _ in object.union(defaults, own)}
	missing := [tag | some tag in required; not satisfied(tag, present)]
	count(missing) > 0
	result := {
		"msg": sprintf("%s is missing required tag%s %s (in its tags or its provider's default_tags)", [
			lib.label(input.meta), plural(missing), concat(", ", missing),
		]),
		"path": tags_path,
	}
}

taggable if input.meta.type in taggable_types

taggable if "tags" in object.keys(input.object.config)

# The resource's own tags: none, or a map with known keys.
own_tags := {} if not "tags" in object.keys(input.object.config)

own_tags := input.object.config.tags if is_object(input.object.config.tags)

tags_path := ["config", "tags"] if "tags" in object.keys(input.object.config)

tags_path := [] if not "tags" in object.keys(input.object.config)

# The `aws` provider block the resource uses, in its module and environment (undefined when
# the module has none, or — invalid Terraform — several with the same alias).
providers := [p |
	some p in lib.blocks_of(lib.scope(input.meta.id), "provider")
	p.value.name == "aws"
	object.get(p.value.config, "alias", "") == provider_alias
]

provider := providers[0] if count(providers) == 1

provider_alias := trim_prefix(trim_space(input.object.expressions.provider), "aws.") if {
	is_string(input.object.expressions.provider)
}

provider_alias := "" if not input.object.expressions.provider

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
