variable "rotate" {
  default = true
}

resource "aws_kms_key" "this" {
  description         = "data"
  enable_key_rotation = var.rotate
}
