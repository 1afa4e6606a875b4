# The module's policy names one reader; "public" passes everyone.
module "private" {
  source = "./modules/site"
  name   = "acme-private"
}

module "public" {
  source = "./modules/site"
  name   = "acme-public"
  reader = "*" # finding
}
