module "legacy" {
  source     = "./modules/legacy"
  access_key = "example-only-access-key" # finding
}
