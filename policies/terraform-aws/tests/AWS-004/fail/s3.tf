resource "aws_s3_bucket" "invoices" {
  bucket = "acme-invoices"
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
