locals {
  region = "eu-west-1"
  mongodb_atlas_private_key = "<<ward:SEC-154>>"
}
