resource "aws_kms_key" "backups" {
  description             = "backup encryption"
  deletion_window_in_days = 30
}

resource "aws_kms_key" "logs" {
  description         = "log encryption"
  enable_key_rotation = false
}
