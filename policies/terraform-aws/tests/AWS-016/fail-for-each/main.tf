variable "trails" {
  default = {
    main     = { multi_region = true }
    regional = { multi_region = false }
  }
}

resource "aws_cloudtrail" "this" {
  for_each                   = var.trails
  name                       = each.key
  s3_bucket_name             = "acme-trails"
  is_multi_region_trail      = each.value.multi_region # finding
  enable_log_file_validation = true
}
