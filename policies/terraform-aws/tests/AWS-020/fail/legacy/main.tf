terraform {
  backend "s3" {
    bucket         = "acme-terraform-state"
    key            = "legacy/terraform.tfstate"
    region         = "eu-west-1"
    encrypt        = false
    dynamodb_table = "terraform-locks"
  }
}
