variable "db_multi_az" {
  type    = bool
  default = false
}

resource "aws_db_instance" "orders" {
  identifier     = "orders"
  engine         = "postgres"
  instance_class = "db.t4g.medium"
  multi_az       = var.db_multi_az
}

resource "aws_db_instance" "ledger" {
  identifier     = "ledger"
  engine         = "postgres"
  instance_class = "db.t4g.medium"
}
