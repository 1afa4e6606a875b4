variable "environment" {
  type = string
}

variable "public_site" {
  type    = bool
  default = false
}

locals {
  prefix = "shop-${var.environment}"
}

module "logs" {
  source     = "../modules/bucket"
  name       = "${local.prefix}-logs"
  rotate_key = false
}

module "site" {
  source = "../modules/bucket"
  name   = "${local.prefix}-site"
  acl    = var.public_site ? "public-read" : "private"
}

module "buckets" {
  source   = "../modules/bucket"
  for_each = toset(["exports", "imports"])
  name     = "${local.prefix}-${each.key}"
  acl      = "authenticated-read"
}

module "network" {
  source    = "git::https://example.com/acme/terraform-network.git?ref=v1.2.0"
  name      = local.prefix
  ssh_cidrs = ["0.0.0.0/0"]
}

module "db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.0"

  identifier              = "${local.prefix}-db"
  engine                  = "postgres"
  multi_az                = true
  deletion_protection     = true
  backup_retention_period = 14
  publicly_accessible     = var.environment == "dev"
}

module "label" {
  source  = "cloudposse/label/null"
  version = "0.25.0"
  name    = local.prefix
}

module "archive" {
  source = "../modules/missing"
  name   = "archive"
}

module "loop" {
  source = "../modules/loop"
}

output "site_bucket" {
  value = module.site.bucket_name
}

output "site_key_rotated" {
  value = module.site.key_rotated
}
