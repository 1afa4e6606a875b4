module "db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.0"

  identifier        = "app"
  engine            = "postgres"
  storage_encrypted = false
}

module "db_default" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.0"

  identifier = "app2"
  engine     = "postgres"
}
