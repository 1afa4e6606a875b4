variable "retention" {
  default = 14
}

resource "aws_db_instance" "this" {
  identifier              = "orders"
  engine                  = "postgres"
  backup_retention_period = var.retention
}
