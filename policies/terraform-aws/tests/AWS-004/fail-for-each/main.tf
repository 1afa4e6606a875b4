# Every bucket of the set, but encryption only for the ones listed in `encrypted`.
locals {
  buckets   = toset(["reports", "exports"])
  encrypted = toset(["reports"])
}

resource "aws_s3_bucket" "this" { # finding
  for_each = local.buckets
  bucket   = "acme-${each.key}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  for_each = local.encrypted
  bucket   = aws_s3_bucket.this[each.key].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
