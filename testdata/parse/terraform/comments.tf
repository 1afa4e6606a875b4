# Hash comment at the top of the file.
// Double-slash comment.
/* Block comment on one line. */
/*
 * Block comment over several lines,
 * with "quotes", { braces } and = signs that are not syntax.
 */

resource "aws_s3_bucket" "commented" { # comment after the opening brace
  bucket = "shop-commented" # comment after a value
  // bucket = "old-name"
  /* force_destroy = true */

  tags = {
    # comment inside an object
    Team = "checkout" // trailing double-slash comment
    /* inline */ Owner = "platform"
  }
} // comment after the closing brace

/* A block commented out entirely:
resource "aws_s3_bucket" "gone" {
  bucket = "shop-gone"
}
*/

variable "url" {
  description = "A URL with // and # inside a string is not a comment: https://example.com/#anchor"
  type        = string
  default     = "http://localhost:8080/* not a comment */"
}
# Comment on the last line, without a trailing newline.