module "db" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.0"

  identifier              = "orders"
  engine                  = "postgres"
  backup_retention_period = 2 # finding
}
