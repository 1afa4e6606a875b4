variable "public_ports" {
  default = [443, 8080]
}

resource "aws_security_group" "api" {
  name = "api"

  dynamic "ingress" {
    for_each = var.public_ports
    content {
      from_port        = ingress.value
      to_port          = ingress.value
      protocol         = "tcp"
      ipv6_cidr_blocks = ["::/0"] # finding
    }
  }
}
