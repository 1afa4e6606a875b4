variable "name" {}

variable "reader" {
  default = "arn:aws:iam::111122223333:role/cdn"
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = var.reader }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::${var.name}/*"
    }]
  })
}
