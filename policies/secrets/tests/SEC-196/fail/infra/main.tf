locals {
  region = "eu-west-1"
  facebook_access_token = "<<ward:SEC-196>>"
}
