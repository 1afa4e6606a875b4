# The root module encrypts the bucket of "logs" only.
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

# Its own bucket, named like the module's block, is not configured by the output.
resource "aws_s3_bucket" "this" {
  bucket = "acme-root"
}
