# Terraform reads a backend only in the root module: this one, in a module the root calls, is
# ignored (with a warning), so it is not judged.
terraform {
  backend "s3" {
    bucket = "acme-terraform-state"
    key    = "network/terraform.tfstate"
    region = "eu-west-1"
  }
}

resource "aws_vpc" "this" {
  cidr_block = "10.0.0.0/16"
}
