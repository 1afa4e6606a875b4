module "trail" {
  source = "./modules/trail"
}
