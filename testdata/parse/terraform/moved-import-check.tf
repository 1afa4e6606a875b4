# Terraform 1.1+ refactoring and 1.5+ config-driven import and checks.
moved {
  from = aws_s3_bucket.old_name
  to   = aws_s3_bucket.assets
}

moved {
  from = module.legacy_vpc
  to   = module.vpc
}

import {
  to = aws_s3_bucket.assets
  id = "shop-assets"
}

import {
  for_each = { staging = "shop-staging-logs", production = "shop-production-logs" }
  to       = aws_s3_bucket.logs[each.key]
  id       = each.value
}

removed {
  from = aws_instance.legacy

  lifecycle {
    destroy = false
  }
}

check "health" {
  data "http" "api" {
    url = "https://shop.example.com/healthz"
  }

  assert {
    condition     = data.http.api.status_code == 200
    error_message = "The API health endpoint returned ${data.http.api.status_code}."
  }
}

variable "retention_days" {
  type     = number
  default  = 30
  nullable = false

  validation {
    condition     = var.retention_days >= 7 && var.retention_days <= 3653
    error_message = "retention_days must be between 7 and 3653."
  }

  validation {
    condition     = floor(var.retention_days) == var.retention_days
    error_message = "retention_days must be a whole number."
  }
}

resource "aws_s3_bucket" "assets" {
  bucket = "shop-assets"

  lifecycle {
    prevent_destroy = true

    precondition {
      condition     = var.retention_days > 0
      error_message = "Retention must be positive."
    }
  }
}

resource "aws_s3_bucket" "logs" {
  for_each = toset(["staging", "production"])
  bucket   = "shop-${each.key}-logs"
}

output "assets_bucket" {
  value     = aws_s3_bucket.assets.bucket
  sensitive = false

  precondition {
    condition     = length(aws_s3_bucket.assets.bucket) < 64
    error_message = "Bucket name too long."
  }
}
