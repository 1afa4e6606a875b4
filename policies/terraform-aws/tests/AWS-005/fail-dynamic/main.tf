variable "versioning" {
  default = "Suspended"
}

resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

# The versioning configuration written as a dynamic block over the caller's status.
resource "aws_s3_bucket_versioning" "reports" {
  bucket = aws_s3_bucket.reports.id

  dynamic "versioning_configuration" {
    for_each = [var.versioning] # finding
    content {
      status = versioning_configuration.value
    }
  }
}
