provider "aws" {
  region = "eu-west-1"

  default_tags {
    tags = {
      env         = "production"
      service     = "web"
      owner       = "web-team"
      cost_center = "cc-200"
    }
  }
}

# Provider v3's list of tag objects; the provider's default tags do not reach the group.
resource "aws_autoscaling_group" "web" {
  name     = "web"
  min_size = 1
  max_size = 3

  tags = [ # finding
    { key = "env", value = "production", propagate_at_launch = true },
    { key = "service", value = "web", propagate_at_launch = true },
  ]
}
