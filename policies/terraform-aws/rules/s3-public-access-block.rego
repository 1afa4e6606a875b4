# METADATA
# title: S3 buckets have a public access block
# description: >-
#   An `aws_s3_bucket_public_access_block` with all four settings on is what stops a bucket
#   from being made public by a later ACL or bucket policy — a one-line mistake in another
#   change, or a console click. Without it, the bucket is one `public-read` away from a data
#   leak. Every `aws_s3_bucket` must have one (its `bucket` naming the bucket), unless the
#   module blocks public access for the whole account with `aws_s3_account_public_access_block`;
#   and the block must set `block_public_acls`, `block_public_policy`, `ignore_public_acls` and
#   `restrict_public_buckets` to true (each defaults to false).
#   A value ward cannot know before `terraform apply` (`${…}`: a resource's attribute, a variable with no default nor tfvars value) is not reported: the rule passes on it.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
#   - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_public_access_block
#   - https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-8
#   - https://www.checkov.io/5.Policy%20Index/terraform.html
# custom:
#   id: AWS-001
#   severity: high
#   kinds: [terraform]
#   types: [aws_s3_bucket, aws_s3_bucket_public_access_block, aws_s3_account_public_access_block]
#   remediation: >-
#     Add `resource "aws_s3_bucket_public_access_block" "<name>" { bucket = aws_s3_bucket.<name>.id
#     ... }` with `block_public_acls`, `block_public_policy`, `ignore_public_acls` and
#     `restrict_public_buckets` all `true`.
package ward.terraform_aws.s3_public_access_block

import rego.v1

import data.ward.terraform_aws.lib

settings := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

deny contains result if {
	input.meta.type == "aws_s3_bucket"
	input.object.block == "resource"
	count(lib.bucket_configs(input.meta.id, input.object.config, "aws_s3_bucket_public_access_block")) == 0
	count(lib.blocks_of(lib.scope(input.meta.id), "aws_s3_account_public_access_block")) == 0
	result := {
		"msg": sprintf("S3 bucket %s has no aws_s3_bucket_public_access_block: nothing stops a public ACL or bucket policy", [lib.label(input.meta)]),
		"path": [],
	}
}

# A public access block that leaves a setting off (or unset: each defaults to false).
deny contains result if {
	input.meta.type in {"aws_s3_bucket_public_access_block", "aws_s3_account_public_access_block"}
	input.object.block == "resource"
	some setting in settings
	not_on(input.object.config, setting)
	result := {
		"msg": sprintf("%s does not set %s = true", [lib.label(input.meta), setting]),
		"path": ["config", setting],
	}
}

not_on(config, setting) if not setting in object.keys(config)

not_on(config, setting) if lib.is_false(config[setting])
