variable "name" {}

variable "encrypted" {
  type    = bool
  default = true
}

resource "aws_db_instance" "this" {
  identifier              = var.name
  engine                  = "postgres"
  instance_class          = "db.t4g.medium"
  storage_encrypted       = var.encrypted
  multi_az                = true
  deletion_protection     = true
  backup_retention_period = 14
}
