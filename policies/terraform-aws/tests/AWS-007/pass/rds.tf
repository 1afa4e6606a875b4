variable "db_multi_az" {
  type    = bool
  default = true
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
  multi_az       = true
}

resource "aws_db_instance" "ledger_replica" {
  identifier          = "ledger-replica"
  replicate_source_db = aws_db_instance.ledger.identifier
  instance_class      = "db.t4g.medium"
}
