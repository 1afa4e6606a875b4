resource "aws_s3_bucket" "logs" {
  bucket = "shop-logs"

  tags = {
    Team = "checkout"
  }

resource "aws_s3_bucket" "assets" {
  bucket = "shop-assets"
}
