# The module's default is single-AZ: at the call.
module "db" { # finding
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.0"

  identifier = "orders"
  engine     = "postgres"
}
