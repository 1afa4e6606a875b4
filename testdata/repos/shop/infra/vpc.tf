module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.9.0"

  name = "${local.name_prefix}-vpc"
  cidr = var.vpc_cidr

  azs              = ["${var.region}a", "${var.region}b", "${var.region}c"]
  private_subnets  = ["10.40.1.0/24", "10.40.2.0/24", "10.40.3.0/24"]
  public_subnets   = ["10.40.101.0/24", "10.40.102.0/24", "10.40.103.0/24"]
  database_subnets = ["10.40.201.0/24", "10.40.202.0/24", "10.40.203.0/24"]

  enable_nat_gateway           = true
  single_nat_gateway           = var.environment != "production"
  create_database_subnet_group = true

  tags = local.common_tags
}
