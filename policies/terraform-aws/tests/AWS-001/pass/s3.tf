resource "aws_s3_bucket" "uploads" {
  bucket = "acme-uploads"
}

resource "aws_s3_bucket_public_access_block" "uploads" {
  bucket = aws_s3_bucket.uploads.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket" "uploads_archive" {
  bucket = "acme-uploads-archive"
}

resource "aws_s3_bucket_public_access_block" "uploads_archive" {
  bucket = aws_s3_bucket.uploads_archive.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

# Names the bucket by its literal name rather than by reference.
resource "aws_s3_bucket_public_access_block" "reports" {
  bucket = "acme-reports"

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# A bucket that already exists, read only: not this module's to configure.
data "aws_s3_bucket" "shared" {
  bucket = "acme-shared"
}

resource "aws_s3_bucket" "tenant" {
  for_each = toset(["north", "south"])
  bucket   = "acme-tenant-${each.key}"
}

resource "aws_s3_bucket_public_access_block" "tenant" {
  for_each = aws_s3_bucket.tenant
  bucket   = each.value.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
