# A module that calls itself back through a second call: Terraform refuses the cycle; ward
# expands it once and notes the call that closes the loop.
resource "aws_sqs_queue" "jobs" {
  name                    = "jobs"
  sqs_managed_sse_enabled = true
}

module "again" {
  source = "../loop"
}
