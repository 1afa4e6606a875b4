variable "rules" {
  type = list(object({
    port        = number
    cidr_blocks = optional(list(string), ["0.0.0.0/0"])
  }))
  default = []
}

resource "aws_security_group" "this" {
  name = "bastion"

  dynamic "ingress" {
    for_each = var.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = ingress.value.cidr_blocks
    }
  }
}
