locals {
  region = "eu-west-1"
  mailgun_api_key = "<<ward:SEC-126>>"
}
