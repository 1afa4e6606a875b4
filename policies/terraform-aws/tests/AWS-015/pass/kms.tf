resource "aws_kms_key" "backups" {
  description             = "backup encryption"
  deletion_window_in_days = 30
  enable_key_rotation     = true
  rotation_period_in_days = 180
}

resource "aws_kms_key" "logs" {
  description         = "log encryption"
  enable_key_rotation = true
}

# Asymmetric signing keys cannot rotate automatically.
resource "aws_kms_key" "release_signing" {
  description              = "release signing"
  key_usage                = "SIGN_VERIFY"
  customer_master_key_spec = "ECC_NIST_P256"
}
