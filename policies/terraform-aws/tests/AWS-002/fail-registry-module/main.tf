module "public_site" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.0"

  bucket = "public-site"
  acl    = "public-read"
}

module "private_site" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.0"

  bucket = "private-site"
  acl    = "private"
}
