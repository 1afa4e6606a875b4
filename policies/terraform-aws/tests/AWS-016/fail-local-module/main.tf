module "trail" {
  source         = "./modules/trail"
  global_events  = false # finding
}
