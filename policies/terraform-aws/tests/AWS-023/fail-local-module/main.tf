# The module makes no access key unless asked; "reporting" asks for one.
module "alice" {
  source = "./modules/user"
  name   = "alice"
}

module "reporting" {
  source            = "./modules/user"
  name              = "reporting"
  create_access_key = true # finding
}
