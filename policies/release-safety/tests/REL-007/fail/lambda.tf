resource "aws_lambda_function" "thumbnail" {
  function_name = "thumbnail"
  role          = aws_iam_role.lambda.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "thumbnail.zip"
}

resource "aws_lambda_function" "checkout" {
  function_name = "checkout"
  role          = aws_iam_role.lambda.arn
  runtime       = "nodejs20.x"
  handler       = "index.handler"
  filename      = "checkout.zip"
  publish       = true
}

resource "aws_lambda_alias" "checkout_live" {
  name             = "live"
  function_name    = aws_lambda_function.checkout.function_name
  function_version = aws_lambda_function.checkout.version
}

resource "aws_lambda_function" "report" {
  function_name = "report"
  role          = aws_iam_role.lambda.arn
  runtime       = "python3.12"
  handler       = "report.handler"
  filename      = "report.zip"
}

resource "aws_lambda_alias" "report_live" {
  name             = "live"
  function_name    = aws_lambda_function.report.function_name
  function_version = "1"

  routing_config {
    additional_version_weights = {
      "2" = 0.1
    }
  }
}
