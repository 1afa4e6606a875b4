# terraform-aws-modules/s3-bucket from 3.9.0 blocks public access by default; a caller can
# turn a setting off, or drop the whole block.
module "assets" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.1"

  bucket              = "assets"
  block_public_policy = false
}

module "legacy" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "3.8.2"

  bucket = "legacy"
}

module "bare" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.1"

  bucket               = "bare"
  attach_public_policy = false
}
