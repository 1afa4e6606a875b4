module "db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.0"

  identifier          = "orders"
  engine              = "postgres"
  deletion_protection = true
}
