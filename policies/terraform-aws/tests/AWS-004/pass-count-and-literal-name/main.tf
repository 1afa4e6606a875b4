# Each instance configured through its own index, and a bucket configured by its literal name
# (the provider links them by name, whatever the configuration's own address).
resource "aws_s3_bucket" "replicas" {
  count  = 2
  bucket = "acme-replica-${count.index}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "replicas" {
  count  = 2
  bucket = aws_s3_bucket.replicas[count.index].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket" "archive" {
  bucket = "acme-archive"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "archive" {
  bucket = "acme-archive"

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
