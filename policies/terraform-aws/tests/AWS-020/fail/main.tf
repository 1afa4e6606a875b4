terraform {
  required_version = ">= 1.6.0"

  backend "s3" {
    bucket = "acme-terraform-state"
    key    = "payments/terraform.tfstate"
    region = "eu-west-1"
  }
}
