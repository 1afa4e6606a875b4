module "db" {
  source    = "./modules/db"
  retention = 3 # finding
}
