module "role_policy" {
  source  = "./modules/policy"
  actions = ["*"] # finding
}
