locals {
  region = "eu-west-1"
  buildkite_api_token = "<<ward:SEC-168>>"
}
