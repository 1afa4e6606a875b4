locals {
  region = "eu-west-1"
  clojars_password = "<<ward:SEC-084>>"
}
