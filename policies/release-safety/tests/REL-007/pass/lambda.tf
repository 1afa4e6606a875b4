resource "aws_lambda_function" "thumbnail" {
  function_name = "thumbnail"
  role          = aws_iam_role.lambda.arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "thumbnail.zip"
  publish       = true
}

resource "aws_lambda_alias" "thumbnail_live" {
  name             = "live"
  function_name    = aws_lambda_function.thumbnail.function_name
  function_version = "7"

  routing_config {
    additional_version_weights = {
      "8" = 0.05
    }
  }
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

  lifecycle {
    ignore_changes = [function_version, routing_config]
  }
}

resource "aws_codedeploy_app" "functions" {
  name             = "functions"
  compute_platform = "Lambda"
}

resource "aws_codedeploy_deployment_group" "checkout" {
  app_name               = aws_codedeploy_app.functions.name
  deployment_group_name  = "checkout"
  service_role_arn       = aws_iam_role.codedeploy.arn
  deployment_config_name = "CodeDeployDefault.LambdaCanary10Percent5Minutes"

  deployment_style {
    deployment_option = "WITH_TRAFFIC_CONTROL"
    deployment_type   = "BLUE_GREEN"
  }

  auto_rollback_configuration {
    enabled = true
    events  = ["DEPLOYMENT_FAILURE"]
  }
}

resource "aws_lambda_function" "report" {
  function_name = "report"
  role          = aws_iam_role.lambda.arn
  runtime       = "python3.12"
  handler       = "report.handler"
  filename      = "report.zip"
  publish       = true
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
