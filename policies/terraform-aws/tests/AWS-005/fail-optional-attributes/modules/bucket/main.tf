variable "name" {}

# Terraform ≥ 1.3: an attribute the caller leaves out takes the declared default.
variable "settings" {
  type = object({
    versioning = optional(bool, false)
    logging    = optional(string)
  })
}

resource "aws_s3_bucket" "this" {
  bucket = var.name
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = var.settings.versioning ? "Enabled" : "Suspended"
  }
}
