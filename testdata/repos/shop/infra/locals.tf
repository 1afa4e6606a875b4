locals {
  project     = "shop"
  owner       = "checkout-team"
  cost_center = "cc-4102"

  name_prefix   = "${local.project}-${var.environment}"
  assets_domain = "assets.${var.environment == "production" ? "" : "${var.environment}."}northwind-labs.io"

  services = ["api", "worker"]

  common_tags = {
    Project     = local.project
    Environment = var.environment
    Owner       = local.owner
    CostCenter  = local.cost_center
    ManagedBy   = "terraform"
  }
}
