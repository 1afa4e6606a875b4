resource "aws_db_instance" "this" {
  for_each            = { orders = true, scratch = false }
  identifier          = each.key
  engine              = "postgres"
  deletion_protection = each.value # finding
}
