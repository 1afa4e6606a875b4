# Two halves of IPv4: the whole internet, written so that a check for 0.0.0.0/0 misses it.
resource "aws_security_group" "halves" {
  name = "halves"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/1", "128.0.0.0/1"]
  }
}

# `::/1` holds every global unicast IPv6 address (2000::/3).
resource "aws_security_group_rule" "rdp_v6" {
  type              = "ingress"
  security_group_id = "sg-123"
  from_port         = 3389
  to_port           = 3389
  protocol          = "tcp"
  ipv6_cidr_blocks  = ["::/1"]
}

resource "aws_vpc_security_group_ingress_rule" "postgres_v6" {
  security_group_id = "sg-123"
  ip_protocol       = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_ipv6         = "2000::/3"
}

# A literal open range in a dynamic block's content: at the range.
resource "aws_security_group" "dynamic_literal" {
  name = "dynamic-literal"

  dynamic "ingress" {
    for_each = [22, 3389]
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
