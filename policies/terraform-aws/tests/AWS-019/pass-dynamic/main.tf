provider "aws" {
  region = "eu-west-1"
}

variable "asg_tags" {
  default = {
    env         = "production"
    service     = "web"
    owner       = "web-team"
    cost_center = "cc-200"
  }
}

# Every required tag, as `tag` blocks generated from a map.
resource "aws_autoscaling_group" "web" {
  name     = "web"
  min_size = 1
  max_size = 3

  dynamic "tag" {
    for_each = var.asg_tags
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}
