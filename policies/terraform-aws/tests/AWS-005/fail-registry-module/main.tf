# terraform-aws-modules/s3-bucket: versioning given, and turned off.
module "uploads" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.0"

  bucket     = "acme-uploads"
  versioning = { enabled = false } # finding
}
