module "internal" {
  source = "./modules/db"
  name   = "internal"
}

module "partner" {
  source = "./modules/db"
  name   = "partner"
  public = true
}
