variable "acls" {
  default = {
    docs   = "private"
    assets = "public-read"
  }
}

resource "aws_s3_bucket_acl" "site" {
  for_each = var.acls
  bucket   = "acme-${each.key}"
  acl      = each.value # finding
}
