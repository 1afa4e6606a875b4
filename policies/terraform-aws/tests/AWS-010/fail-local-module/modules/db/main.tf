variable "name" {}

variable "public" {
  type    = bool
  default = false
}

resource "aws_db_instance" "this" {
  identifier          = var.name
  engine              = "postgres"
  instance_class      = "db.t4g.medium"
  publicly_accessible = var.public
}
