module "reports" {
  source   = "./modules/bucket"
  name     = "acme-reports"
  settings = { versioning = true }
}

# Leaves `versioning` out: the module's default, false, suspends versioning.
module "scratch" {
  source   = "./modules/bucket"
  name     = "acme-scratch"
  settings = {} # finding
}
