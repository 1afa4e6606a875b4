# The module rolls back by default; "batch" turns it off.
module "api" {
  source = "./modules/service"
  name   = "api"
}

module "batch" {
  source   = "./modules/service"
  name     = "batch"
  rollback = false # finding
}
