resource "aws_db_instance" "shop" {
  password = var.db_password
}

resource "aws_secretsmanager_secret_version" "db" {
  secret_string = random_password.db.result
}
