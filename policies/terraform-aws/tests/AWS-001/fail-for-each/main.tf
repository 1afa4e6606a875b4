variable "buckets" {
  default = {
    reports = true
    uploads = false
  }
}

# One bucket and one public access block per key; "uploads" turns a setting off.
resource "aws_s3_bucket" "this" {
  for_each = var.buckets
  bucket   = "acme-${each.key}"
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each                = var.buckets
  bucket                  = aws_s3_bucket.this[each.key].id
  block_public_acls       = each.value # finding
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
