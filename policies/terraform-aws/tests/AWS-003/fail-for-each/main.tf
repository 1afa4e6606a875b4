variable "readers" {
  default = {
    reports = "arn:aws:iam::111122223333:role/analytics"
    site    = "*"
  }
}

resource "aws_s3_bucket_policy" "read" {
  for_each = var.readers
  bucket   = "acme-${each.key}"
  policy = jsonencode({ # finding
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = each.value }
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::acme-${each.key}/*"
    }]
  })
}
