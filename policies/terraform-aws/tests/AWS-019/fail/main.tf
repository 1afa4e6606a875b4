provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      Environment = "production"
      Owner       = "checkout-team"
    }
  }
}

# CloudFront certificates live in us-east-1, through a provider without default tags.
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
  }
}
