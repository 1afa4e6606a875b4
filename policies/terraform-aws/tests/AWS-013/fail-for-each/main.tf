variable "ingress" {
  default = {
    https = { port = 443, cidr = "0.0.0.0/0" }
    ssh   = { port = 22, cidr = "0.0.0.0/0" }
    pg    = { port = 5432, cidr = "10.0.0.0/16" }
  }
}

resource "aws_security_group" "bastion" {
  name = "bastion"
}

resource "aws_vpc_security_group_ingress_rule" "this" {
  for_each          = var.ingress
  security_group_id = aws_security_group.bastion.id
  ip_protocol       = "tcp"
  from_port         = each.value.port
  to_port           = each.value.port
  cidr_ipv4         = each.value.cidr # finding
}
