variable "encrypt" {
  default = true
}

# Provider v3's inline encryption, present only when asked for: here it is.
resource "aws_s3_bucket" "legacy" {
  bucket = "acme-legacy"

  dynamic "server_side_encryption_configuration" {
    for_each = var.encrypt ? [1] : []
    content {
      rule {
        apply_server_side_encryption_by_default {
          sse_algorithm = "AES256"
        }
      }
    }
  }
}
