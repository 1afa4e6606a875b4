locals {
  region = "eu-west-1"
  pagerduty_token = "<<ward:SEC-112>>"
}
