terraform {
  required_version = ">= 1.10.0"

  backend "s3" {
    bucket       = "acme-terraform-state"
    key          = "payments/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}
