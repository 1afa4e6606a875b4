# Half of IPv4, and IPv6 ranges that do not hold the global unicast space.
resource "aws_security_group" "half" {
  name = "half"

  ingress {
    from_port        = 22
    to_port          = 22
    protocol         = "tcp"
    cidr_blocks      = ["0.0.0.0/1", "192.168.0.0/16"]
    ipv6_cidr_blocks = ["fd00::/8", "2001:db8::/32"]
  }
}

resource "aws_security_group_rule" "link_local" {
  type              = "ingress"
  security_group_id = "sg-123"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  ipv6_cidr_blocks  = ["fe80::/10"]
}
