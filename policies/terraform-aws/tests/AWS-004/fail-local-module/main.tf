module "encrypted" {
  source = "./modules/bucket"
  name   = "encrypted"
}

module "scratch" {
  source  = "./modules/bucket"
  name    = "scratch"
  encrypt = false
}
