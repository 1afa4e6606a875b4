resource "aws_kms_key" "this" {
  for_each            = { logs = true, exports = false }
  description         = each.key
  enable_key_rotation = each.value # finding
}
