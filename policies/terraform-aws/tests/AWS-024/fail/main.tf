terraform {
  backend "s3" {
    bucket         = "acme-terraform-state"
    key            = "shop/terraform.tfstate"
    region         = "eu-west-1"
    encrypt        = true
    dynamodb_table = "terraform-locks"
    access_key     = "example-only-access-key"
    secret_key     = "example-only-not-a-real-secret-key-000000"
  }
}

variable "aws_secret_key" {
  type    = string
  default = "example-only-not-a-real-secret-key-000000"
}

provider "aws" {
  region     = "eu-west-1"
  access_key = "example-only-access-key"
  secret_key = var.aws_secret_key
}
