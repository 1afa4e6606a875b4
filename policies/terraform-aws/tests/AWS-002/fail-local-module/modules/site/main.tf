variable "domain" {}

variable "public" {
  type    = bool
  default = false
}

resource "aws_s3_bucket" "site" {
  bucket = var.domain
}

resource "aws_s3_bucket_acl" "site" {
  bucket = aws_s3_bucket.site.id
  acl    = var.public ? "public-read" : "private"
}
