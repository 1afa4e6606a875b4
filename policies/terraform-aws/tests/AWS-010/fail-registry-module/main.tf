module "db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "6.10.0"

  identifier          = "app"
  engine              = "postgres"
  publicly_accessible = true
}

module "private_db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "6.10.0"

  identifier = "private"
  engine     = "postgres"
}
