resource "aws_db_instance" "orders" {
  identifier          = "orders"
  engine              = "postgres"
  instance_class      = "db.t4g.medium"
  publicly_accessible = true
}

resource "aws_rds_cluster_instance" "catalog" {
  cluster_identifier  = "catalog"
  instance_class      = "db.r6g.large"
  engine              = "aurora-postgresql"
  publicly_accessible = var.catalog_public
}

variable "catalog_public" {
  type    = bool
  default = true
}
