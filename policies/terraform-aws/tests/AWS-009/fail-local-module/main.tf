module "db" {
  source    = "./modules/db"
  protected = false # finding
}
