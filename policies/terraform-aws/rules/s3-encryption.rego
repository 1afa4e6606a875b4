# METADATA
# title: S3 buckets declare server-side encryption
# description: >-
#   S3 has encrypted new objects with S3-managed keys (SSE-S3) by default since January 2023,
#   but a bucket whose Terraform says nothing about encryption documents no decision: nobody
#   chose a KMS key, its rotation, or who may decrypt, and a reviewer cannot tell a deliberate
#   SSE-S3 from an oversight. Every `aws_s3_bucket` should have an
#   `aws_s3_bucket_server_side_encryption_configuration` naming it (or, with provider v3, an
#   inline `server_side_encryption_configuration` block), preferably with `aws:kms` and
#   `bucket_key_enabled = true`.
#   A value ward cannot know before `terraform apply` (`${…}`: a resource's attribute, a variable with no default nor tfvars value) is not reported: the rule passes on it.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html
#   - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_server_side_encryption_configuration
#   - https://docs.aws.amazon.com/securityhub/latest/userguide/s3-controls.html#s3-17
#   - https://www.checkov.io/5.Policy%20Index/terraform.html
# custom:
#   id: AWS-004
#   severity: medium
#   kinds: [terraform]
#   types: [aws_s3_bucket]
#   remediation: >-
#     Add `resource "aws_s3_bucket_server_side_encryption_configuration" "<name>" { bucket =
#     aws_s3_bucket.<name>.id ... }` with a `rule { apply_server_side_encryption_by_default {
#     sse_algorithm = "aws:kms", kms_master_key_id = aws_kms_key.<key>.arn } bucket_key_enabled = true }`.
package ward.terraform_aws.s3_encryption

import rego.v1

import data.ward.terraform_aws.lib

deny contains result if {
	input.meta.type == "aws_s3_bucket"
	input.object.block == "resource"
	count(object.get(input.object.config, "server_side_encryption_configuration", [])) == 0
	count(lib.bucket_configs(input.meta.id, input.object.config, "aws_s3_bucket_server_side_encryption_configuration")) == 0
	result := {
		"msg": sprintf("S3 bucket %s has no aws_s3_bucket_server_side_encryption_configuration: its encryption is whatever the account default is", [lib.label(input.meta)]),
		"path": [],
	}
}
