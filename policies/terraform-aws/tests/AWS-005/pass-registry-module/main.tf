module "uploads" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.0"

  bucket     = "acme-uploads"
  versioning = { enabled = true }
}
