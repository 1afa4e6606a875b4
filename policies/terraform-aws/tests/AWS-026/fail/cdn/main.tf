# Only an aliased provider: the module is still a root module of its own.
provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

resource "aws_acm_certificate" "cdn" {
  provider          = aws.us_east_1
  domain_name       = "cdn.example.org"
  validation_method = "DNS"
}
