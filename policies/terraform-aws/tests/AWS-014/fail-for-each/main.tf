resource "aws_security_group" "api" {
  name = "api"
}

resource "aws_security_group_rule" "public" {
  for_each          = toset(["443", "8080"])
  type              = "ingress"
  security_group_id = aws_security_group.api.id
  from_port         = each.value
  to_port           = each.value
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"] # finding
}
