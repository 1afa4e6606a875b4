locals {
  region = "eu-west-1"
  unleash_instance_id = "<<ward:SEC-070>>"
}
