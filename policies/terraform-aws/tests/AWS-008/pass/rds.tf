resource "aws_db_instance" "orders" {
  identifier        = "orders"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  storage_encrypted = true
  kms_key_id        = aws_kms_key.db.arn
}

resource "aws_kms_key" "db" {
  enable_key_rotation = true
}

resource "aws_rds_cluster" "catalog" {
  cluster_identifier = "catalog"
  engine             = "aurora-postgresql"
  storage_encrypted  = true
}

# Aurora Serverless v1 is always encrypted.
resource "aws_rds_cluster" "reports" {
  cluster_identifier = "reports"
  engine             = "aurora-mysql"
  engine_mode        = "serverless"
}

# Every instance of a for_each encrypted, through a conditional that is known.
variable "environment" {
  default = "production"
}

resource "aws_db_instance" "tenants" {
  for_each          = toset(["a", "b"])
  identifier        = "tenant-${each.key}"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  storage_encrypted = var.environment == "production" ? true : false
  kms_key_id        = aws_kms_key.db.arn
}
