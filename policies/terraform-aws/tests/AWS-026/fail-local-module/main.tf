provider "aws" { # finding
  region = "eu-west-1"
}

# The module would create the account's budget, but its caller turns it off.
module "costs" {
  source = "./modules/costs"
  create = false
}
