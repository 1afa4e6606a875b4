provider "aws" {
  region = "eu-west-1"
}

# terraform-aws-modules/s3-bucket tags its bucket with the caller's `tags`.
module "assets" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.0"

  bucket = "acme-assets"
  tags = { # finding
    env     = "production"
    service = "web"
    owner   = "web-team"
  }
}

module "tagged" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.0"

  bucket = "acme-tagged"
  tags = {
    env         = "production"
    service     = "web"
    owner       = "web-team"
    cost_center = "cc-200"
  }
}
