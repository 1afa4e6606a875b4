module "archive" {
  source     = "./modules/bucket"
  name       = "acme-archive"
  versioning = "Suspended" # finding
}
