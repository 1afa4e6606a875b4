# Two buckets; the encryption configuration names the first instance only.
resource "aws_s3_bucket" "replicas" { # finding
  count  = 2
  bucket = "acme-replica-${count.index}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "first" {
  bucket = aws_s3_bucket.replicas[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
