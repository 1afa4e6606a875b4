# METADATA
# title: S3 buckets have versioning enabled
# description: >-
#   Without versioning, an overwrite or a delete — a bug, a bad deploy, ransomware with stolen
#   keys — destroys the only copy of an object; with it, the previous version is one restore
#   away. Every `aws_s3_bucket` needs an `aws_s3_bucket_versioning` naming it with
#   `versioning_configuration { status = "Enabled" }` (or, with provider v3, an inline
#   `versioning { enabled = true }`). `Suspended` keeps old versions but stops making new ones:
#   it is reported at that value.
#   A value ward cannot know before `terraform apply` (`${…}`: a resource's attribute, a variable with no default nor tfvars value) is not reported: the rule passes on it.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
#   - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/s3_bucket_versioning
#   - https://www.checkov.io/5.Policy%20Index/terraform.html
# custom:
#   id: AWS-005
#   severity: medium
#   kinds: [terraform]
#   types: [aws_s3_bucket, aws_s3_bucket_versioning]
#   remediation: >-
#     Add (or fix) `resource "aws_s3_bucket_versioning" "<name>" { bucket = aws_s3_bucket.<name>.id
#     versioning_configuration { status = "Enabled" } }`, and a lifecycle rule that expires
#     noncurrent versions to bound the cost.
package ward.terraform_aws.s3_versioning

import rego.v1

import data.ward.terraform_aws.lib

# A bucket nothing versions.
deny contains result if {
	input.meta.type == "aws_s3_bucket"
	input.object.block == "resource"
	count(object.get(input.object.config, "versioning", [])) == 0
	count(lib.bucket_configs(input.meta.id, input.object.config, "aws_s3_bucket_versioning")) == 0
	result := {
		"msg": sprintf("S3 bucket %s has no aws_s3_bucket_versioning: an overwrite or delete cannot be undone", [lib.label(input.meta)]),
		"path": [],
	}
}

# Provider v3: `versioning { enabled = false }` on the bucket.
deny contains result if {
	input.meta.type == "aws_s3_bucket"
	input.object.block == "resource"
	some i, versioning in input.object.config.versioning
	not lib.is_true(object.get(versioning, "enabled", false))
	not lib.unknown(object.get(versioning, "enabled", false))
	result := {
		"msg": sprintf("S3 bucket %s has versioning disabled", [lib.label(input.meta)]),
		"path": ["config", "versioning", i, "enabled"],
	}
}

# `status = "Suspended"` (or "Disabled").
deny contains result if {
	input.meta.type == "aws_s3_bucket_versioning"
	input.object.block == "resource"
	some i, configuration in input.object.config.versioning_configuration
	status := configuration.status
	is_string(status)
	not lib.unknown(status)
	status != "Enabled"
	result := {
		"msg": sprintf("%s sets versioning status %q: new writes are not versioned", [lib.label(input.meta), status]),
		"path": ["config", "versioning_configuration", i, "status"],
	}
}
