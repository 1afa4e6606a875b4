resource "aws_s3_bucket" "website" {
  bucket = "acme-website"
}

resource "aws_s3_bucket_acl" "website" {
  bucket = aws_s3_bucket.website.id
  acl    = "private"
}

resource "aws_s3_bucket" "legacy" {
  bucket = "acme-legacy"
  acl    = "private"

  grant {
    type        = "CanonicalUser"
    id          = data.aws_canonical_user_id.current.id
    permissions = ["FULL_CONTROL"]
  }
}

resource "aws_s3_bucket" "media" {
  bucket = "acme-media"
}

resource "aws_s3_bucket_acl" "media" {
  bucket = aws_s3_bucket.media.id

  access_control_policy {
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/s3/LogDelivery"
      }
      permission = "WRITE"
    }

    owner {
      id = data.aws_canonical_user_id.current.id
    }
  }
}

resource "aws_s3_bucket_ownership_controls" "media" {
  bucket = aws_s3_bucket.media.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# The ACL comes from a variable nobody set: not known, not reported.
resource "aws_s3_bucket_acl" "dynamic" {
  bucket = aws_s3_bucket.media.id
  acl    = var.media_acl
}
