# Open admin ports written through expressions: a for_each'd group whose dynamic ingress takes
# its CIDRs through lookup(), an IPv6 range written unusually, and an IPv4 range of prefix 0.
variable "admin_cidrs" {
  default = ["10.0.0.0/8", "0.0.0.0/0"]
}

locals {
  rules = {
    ssh = { port = 22, cidrs = var.admin_cidrs }
  }
}

resource "aws_security_group" "admin" {
  for_each = toset(["blue"])
  name     = "admin-${each.key}"

  dynamic "ingress" {
    for_each = local.rules
    content {
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = lookup(ingress.value, "cidrs", [])
    }
  }
}

resource "aws_security_group_rule" "rdp" {
  for_each          = { office = "0::/0" }
  type              = "ingress"
  security_group_id = aws_security_group.admin["blue"].id
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  ipv6_cidr_blocks  = [each.value]
}

resource "aws_vpc_security_group_ingress_rule" "postgres" {
  security_group_id = aws_security_group.admin["blue"].id
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv4         = "10.20.30.40/0"
}
