variable "multi_az" {
  default = true
}

resource "aws_db_instance" "this" {
  identifier = "orders"
  engine     = "postgres"
  multi_az   = var.multi_az
}
