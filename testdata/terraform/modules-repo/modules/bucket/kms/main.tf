variable "alias" {
  type = string
}

variable "rotate" {
  type    = bool
  default = true
}

resource "aws_kms_key" "this" {
  description         = "key for ${var.alias}"
  enable_key_rotation = var.rotate
}

output "key_arn" {
  value = aws_kms_key.this.arn
}

output "rotated" {
  value = var.rotate
}
