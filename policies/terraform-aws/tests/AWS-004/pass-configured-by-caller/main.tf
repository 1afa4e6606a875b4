# The module creates the buckets; the root module encrypts them, through the call's output or by
# the bucket's name.
module "logs" {
  source = "./modules/bucket"
  name   = "acme-logs"
}

module "exports" {
  source = "./modules/bucket"
  name   = "acme-exports"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = module.logs.bucket_id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "exports" {
  bucket = "acme-exports"

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# A bucket of the root's own with the module's block name: the output names the module's.
resource "aws_s3_bucket" "this" {
  bucket = "acme-root"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
