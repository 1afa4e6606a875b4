# The module rolls back on failure and on alarm; "worker" passes failure only.
module "web" {
  source = "./modules/deploy"
  name   = "web"
}

module "worker" {
  source          = "./modules/deploy"
  name            = "worker"
  rollback_events = ["DEPLOYMENT_FAILURE"] # finding
}
