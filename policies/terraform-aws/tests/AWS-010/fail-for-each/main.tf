resource "aws_db_instance" "this" {
  for_each            = { orders = false, demo = true }
  identifier          = each.key
  engine              = "postgres"
  publicly_accessible = each.value # finding
}
