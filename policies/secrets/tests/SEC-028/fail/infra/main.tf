locals {
  region = "eu-west-1"
  linode_token = "<<ward:SEC-028>>"
}
