resource "aws_s3_bucket" "uploads" {
  bucket = "acme-uploads"
}

resource "aws_s3_bucket" "uploads_archive" {
  bucket = "acme-uploads-archive"
}

# Blocks the archive only: its address starts like the uploads bucket's, but is not it.
resource "aws_s3_bucket_public_access_block" "uploads_archive" {
  bucket = aws_s3_bucket.uploads_archive.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = false
}

resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

resource "aws_s3_bucket_public_access_block" "reports" {
  bucket = aws_s3_bucket.reports.id

  block_public_acls   = true
  block_public_policy = true
}
