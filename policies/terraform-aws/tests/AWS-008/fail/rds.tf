resource "aws_db_instance" "orders" {
  identifier        = "orders"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  storage_encrypted = false
}

resource "aws_rds_cluster" "catalog" {
  cluster_identifier = "catalog"
  engine             = "aurora-postgresql"
}

# A customer-managed key named, but storage encryption left at its default (false): RDS does
# not encrypt.
resource "aws_db_instance" "billing" {
  identifier     = "billing"
  engine         = "postgres"
  instance_class = "db.t4g.medium"
  kms_key_id     = aws_kms_key.rds.arn
}

# Encryption switched per instance by for_each: only the "legacy" one is off.
resource "aws_db_instance" "tenants" {
  for_each          = { modern = true, legacy = false }
  identifier        = "tenant-${each.key}"
  engine            = "postgres"
  instance_class    = "db.t4g.medium"
  storage_encrypted = each.value
}
