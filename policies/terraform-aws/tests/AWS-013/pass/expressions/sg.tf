# The same shapes, closed: the lookup() falls back to a private range, the rule is switched off
# with count = 0, a /1 is half the internet (AWS-014's concern, not an admin port to all).
variable "admin_cidrs" {
  default = ["10.0.0.0/8"]
}

variable "allow_rdp" {
  default = false
}

locals {
  rules = {
    ssh = { port = 22 }
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
      cidr_blocks = lookup(ingress.value, "cidrs", var.admin_cidrs)
    }
  }
}

resource "aws_security_group_rule" "rdp" {
  count             = var.allow_rdp ? 1 : 0
  type              = "ingress"
  security_group_id = aws_security_group.admin["blue"].id
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group" "dynamic_unknown" {
  name = "unknown"
  dynamic "ingress" {
    for_each = data.aws_ip_ranges.office.cidr_blocks
    content {
      from_port   = 22
      to_port     = 22
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }
  }
}
