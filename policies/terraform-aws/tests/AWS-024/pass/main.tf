terraform {
  backend "s3" {
    bucket         = "acme-terraform-state"
    key            = "shop/terraform.tfstate"
    region         = "eu-west-1"
    encrypt        = true
    dynamodb_table = "terraform-locks"
  }
}

# Passed in at run time (TF_VAR_...), never written down.
variable "aws_secret_key" {
  type      = string
  sensitive = true
}

provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias      = "legacy"
  region     = "us-east-1"
  access_key = var.aws_access_key
  secret_key = var.aws_secret_key
}
