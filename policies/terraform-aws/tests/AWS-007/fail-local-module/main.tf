module "db" {
  source   = "./modules/db"
  multi_az = false # finding
}
