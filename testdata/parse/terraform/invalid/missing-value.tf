locals {
  region = "eu-west-1"
  name   =
  tags   = { Team = "checkout" }
}
