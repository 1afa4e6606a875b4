module "orders" {
  source = "./modules/db"
  name   = "orders"
}

module "reporting" {
  source    = "./modules/db"
  name      = "reporting"
  encrypted = false
}
