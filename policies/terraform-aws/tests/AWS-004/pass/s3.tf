resource "aws_kms_key" "invoices" {
  description         = "invoice bucket encryption"
  enable_key_rotation = true
}

resource "aws_s3_bucket" "invoices" {
  bucket = "acme-invoices"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "invoices" {
  bucket = aws_s3_bucket.invoices.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.invoices.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket" "invoices_backup" {
  bucket = "acme-invoices-backup"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "invoices_backup" {
  bucket = aws_s3_bucket.invoices_backup.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# Provider v3: encryption inline on the bucket.
resource "aws_s3_bucket" "legacy" {
  bucket = "acme-legacy"

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "AES256"
      }
    }
  }
}
