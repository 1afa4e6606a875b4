variable "databases" {
  default = {
    orders  = true
    reports = false
  }
}

resource "aws_db_instance" "this" {
  for_each          = var.databases
  identifier        = each.key
  engine            = "postgres"
  storage_encrypted = each.value # finding
}
