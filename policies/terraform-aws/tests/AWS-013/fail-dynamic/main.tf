variable "admin_ports" {
  default = [22, 3389]
}

resource "aws_security_group" "bastion" {
  name = "bastion"

  dynamic "ingress" {
    for_each = var.admin_ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"] # finding
    }
  }
}
