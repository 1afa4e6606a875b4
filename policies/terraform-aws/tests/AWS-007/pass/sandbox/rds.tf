resource "aws_db_instance" "scratch" {
  identifier     = "scratch"
  engine         = "postgres"
  instance_class = "db.t4g.micro"
  multi_az       = var.multi_az
}

variable "multi_az" {
  type    = bool
  default = false
}
