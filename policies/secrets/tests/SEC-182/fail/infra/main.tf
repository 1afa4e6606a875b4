locals {
  region = "eu-west-1"
  prefect_api_key = "<<ward:SEC-182>>"
}
