terraform {
  backend "s3" {
    bucket       = "acme-terraform-state"
    key          = "shop/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}

module "network" {
  source = "./modules/network"
}
