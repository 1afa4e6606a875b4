module "docs" {
  source = "./modules/site"
  domain = "docs.example.com"
}

module "www" {
  source = "./modules/site"
  domain = "www.example.com"
  public = true
}
