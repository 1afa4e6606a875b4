module "reader" {
  source    = "./modules/policy"
  resources = ["*"] # finding
}
