variable "protected" {
  default = true
}

resource "aws_db_instance" "this" {
  identifier          = "orders"
  engine              = "postgres"
  deletion_protection = var.protected
}
