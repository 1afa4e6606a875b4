variable "environment" {
  type = string
}

resource "aws_s3_bucket" {
  bucket = "shop-${var.environment}-logs"
}
