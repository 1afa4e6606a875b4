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

variable "asg_tags" {
  default = {
    env     = "production"
    service = "web"
  }
}

# An auto scaling group takes no default_tags from the provider (the AWS provider does not apply
# them to it): its tags are its `tag` blocks, here generated from a map that lacks two.
resource "aws_autoscaling_group" "web" {
  name     = "web"
  min_size = 1
  max_size = 3

  dynamic "tag" { # finding
    for_each = var.asg_tags
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}
