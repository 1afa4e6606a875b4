variable "grants" {
  default = [
    { uri = "http://acs.amazonaws.com/groups/global/AllUsers", permission = "READ" },
  ]
}

# Provider v3's inline grants, written as a dynamic block.
resource "aws_s3_bucket" "public" {
  bucket = "acme-public"

  dynamic "grant" {
    for_each = var.grants # finding
    content {
      type        = "Group"
      uri         = grant.value.uri
      permissions = [grant.value.permission]
    }
  }
}
