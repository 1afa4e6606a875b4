resource "aws_db_instance" "shop" {
  engine   = "postgres"
  password = "<<ward:password>>"
}
