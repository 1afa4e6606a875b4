terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.60"
    }
  }

  # One state per environment: terraform init -backend-config="key=shop/<env>.tfstate"
  backend "s3" {
    bucket         = "northwind-terraform-state"
    key            = "shop/terraform.tfstate"
    region         = "eu-west-1"
    dynamodb_table = "terraform-locks"
    encrypt        = true
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = local.common_tags
  }
}

# CloudFront only accepts ACM certificates from us-east-1.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"

  default_tags {
    tags = local.common_tags
  }
}

data "aws_caller_identity" "current" {}

resource "aws_acm_certificate" "cdn" {
  provider          = aws.us_east_1
  domain_name       = local.assets_domain
  validation_method = "DNS"

  lifecycle {
    create_before_destroy = true
  }
}
