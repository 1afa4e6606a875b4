resource "aws_s3_bucket_acl" "site" {
  for_each = toset(["docs", "admin"])
  bucket   = "acme-${each.key}"
  acl      = "private"
}
