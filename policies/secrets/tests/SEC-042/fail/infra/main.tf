locals {
  region = "eu-west-1"
  aws_bearer_token_bedrock = "<<ward:SEC-042>>"
}
