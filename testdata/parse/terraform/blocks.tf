# Nested blocks that occur once and several times, dynamic blocks, for_each and count,
# attributes with map values, and meta-argument blocks.
variable "ingress_rules" {
  type = list(object({
    port        = number
    cidr_blocks = list(string)
    description = string
  }))
  default = [
    { port = 443, cidr_blocks = ["0.0.0.0/0"], description = "HTTPS" },
    { port = 80, cidr_blocks = ["0.0.0.0/0"], description = "HTTP redirect" },
  ]
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = "vpc-0123456789abcdef0"

  # Repeated literal blocks.
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }

  ingress {
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }

  # Generated blocks.
  dynamic "ingress" {
    for_each = var.ingress_rules
    iterator = rule
    content {
      from_port   = rule.value.port
      to_port     = rule.value.port
      protocol    = "tcp"
      cidr_blocks = rule.value.cidr_blocks
      description = rule.value.description
    }
  }

  # A block that occurs once.
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = {
    Name                     = "web"
    "kubernetes.io/role/elb" = "1"
  }

  lifecycle {
    create_before_destroy = true
    ignore_changes        = [tags["LastScanned"], description]
  }
}

resource "aws_s3_bucket" "per_env" {
  for_each = toset(["staging", "production"])

  bucket        = "shop-${each.key}-exports"
  force_destroy = each.value == "staging"
}

resource "aws_s3_bucket_lifecycle_configuration" "per_env" {
  for_each = aws_s3_bucket.per_env
  bucket   = each.value.id

  rule {
    id     = "expire"
    status = "Enabled"

    filter {
      and {
        prefix = "exports/"
        tags = {
          retain = "false"
        }
      }
    }

    expiration {
      days = 30
    }

    noncurrent_version_expiration {
      noncurrent_days = 7
    }
  }

  rule {
    id     = "abort-multipart"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

resource "aws_cloudwatch_log_group" "app" {
  count = 2

  name              = "/app/${count.index}"
  retention_in_days = 30

  depends_on = [aws_security_group.web]

  provisioner "local-exec" {
    command = "echo created ${self.name}"
    environment = {
      LOG_GROUP = self.name
    }
  }

  provisioner "local-exec" {
    when    = destroy
    command = "echo destroyed"
  }
}

resource "null_resource" "empty" {}
