variable "global_events" {
  default = true
}

resource "aws_cloudtrail" "this" {
  name                          = "org"
  s3_bucket_name                = "acme-trails"
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  include_global_service_events = var.global_events
}
