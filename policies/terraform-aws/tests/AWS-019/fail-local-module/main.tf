provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      env     = "production"
      service = "orders"
    }
  }
}

# The provider gives env and service; each call must add owner and cost_center.
module "orders" {
  source = "./modules/queue"
  name   = "orders"
  tags   = { owner = "checkout-team", cost_center = "cc-104" }
}

module "refunds" {
  source = "./modules/queue"
  name   = "refunds"
  tags   = { owner = "checkout-team" } # finding
}
