# A CI user with a static key, made through a module.
module "ci" {
  source = "./modules/machine-user"
  name   = "github-actions"
}
