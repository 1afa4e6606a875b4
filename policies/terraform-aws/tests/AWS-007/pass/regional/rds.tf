variable "multi_az" {
  type = bool
}

resource "aws_db_instance" "main" {
  identifier     = "regional"
  engine         = "mysql"
  instance_class = "db.r6g.large"
  multi_az       = var.multi_az
}
