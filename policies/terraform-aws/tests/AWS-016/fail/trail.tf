resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = aws_s3_bucket.trail.id
}

resource "aws_cloudtrail" "audit" {
  name                       = "audit"
  s3_bucket_name             = aws_s3_bucket.trail.id
  is_multi_region_trail      = false
  enable_log_file_validation = true
}

resource "aws_cloudtrail" "organization" {
  name                          = "organization"
  s3_bucket_name                = aws_s3_bucket.trail.id
  is_multi_region_trail         = var.all_regions
  enable_log_file_validation    = true
  include_global_service_events = var.all_regions ? false : true
}

variable "all_regions" {
  default = true
}
