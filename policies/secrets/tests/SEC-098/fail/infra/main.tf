locals {
  region = "eu-west-1"
  linear_token = "<<ward:SEC-098>>"
}
