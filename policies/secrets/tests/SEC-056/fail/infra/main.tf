locals {
  region = "eu-west-1"
  xai_api_key = "<<ward:SEC-056>>"
}
