resource "aws_s3_bucket" "logs" {
  bucket = "shop-logs"
  tags = {
    team = "shop"
  }

  versioning {
    enabled = false
  }

  server_side_encryption_configuration {
    rule {
      bucket_key_enabled = true
    }
  }
}

variable "region" {
  default = "eu-west-1"
}
