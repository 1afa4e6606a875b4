# The module blocks public access unless its caller says otherwise; "uploads" does.
module "reports" {
  source = "./modules/bucket"
  name   = "reports"
}

module "uploads" {
  source            = "./modules/bucket"
  name              = "uploads"
  block_public_acls = false
}
