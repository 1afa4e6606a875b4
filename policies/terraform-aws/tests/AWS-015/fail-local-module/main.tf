module "key" {
  source = "./modules/key"
  rotate = false # finding
}
