locals {
  region = "eu-west-1"
  shopify_access_token = "<<ward:SEC-140>>"
}
