locals {
  tags = {
    Environment = "production"
    Project     = "shop"
    Owner       = "checkout-team"
    CostCenter  = "cc-4102"
  }
}

provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = local.tags
  }
}

provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

resource "aws_s3_bucket" "assets" {
  bucket = "acme-assets"
}

resource "aws_sqs_queue" "orders" {
  name = "orders"

  tags = {
    service = "orders"
  }
}

resource "aws_acm_certificate" "cdn" {
  provider          = aws.us_east_1
  domain_name       = "cdn.example.org"
  validation_method = "DNS"

  tags = {
    env         = "production"
    service     = "cdn"
    owner       = "web-team"
    cost-center = "cc-4102"
  }
}

# Not taggable: a configuration block of another resource.
resource "aws_s3_bucket_versioning" "assets" {
  bucket = aws_s3_bucket.assets.id

  versioning_configuration {
    status = "Enabled"
  }
}
