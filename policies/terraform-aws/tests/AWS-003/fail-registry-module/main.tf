# terraform-aws-modules/s3-bucket attaches the policy its caller writes.
module "site" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "~> 4.0"

  bucket        = "acme-site"
  attach_policy = true
  policy = jsonencode({ # finding
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::acme-site/*"
    }]
  })
}
