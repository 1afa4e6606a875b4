variable "databases" {
  default = {
    orders  = 14
    reports = 1
  }
}

resource "aws_db_instance" "this" {
  for_each                = var.databases
  identifier              = each.key
  engine                  = "postgres"
  backup_retention_period = each.value # finding
}
