variable "environment" {
  description = "Deployment environment (staging or production)."
  type        = string

  validation {
    condition     = contains(["staging", "production"], var.environment)
    error_message = "environment must be staging or production."
  }
}

variable "region" {
  description = "AWS region for all regional resources."
  type        = string
  default     = "eu-west-1"
}

variable "vpc_cidr" {
  type    = string
  default = "10.40.0.0/16"
}

variable "db_instance_class" {
  description = "RDS instance class for the shop database."
  type        = string
  default     = "db.t4g.medium"
}

variable "db_multi_az" {
  description = "Run the database with a standby in a second AZ."
  type        = bool
  default     = false
}

variable "db_password" {
  description = "Master password of the shop database; passed in from the CI secret store."
  type        = string
  sensitive   = true
}

variable "log_retention_days" {
  type    = number
  default = 30
}

variable "api_desired_count" {
  type    = number
  default = 2
}

variable "allowed_ingress_cidrs" {
  description = "CIDR blocks allowed to reach the load balancer."
  type        = list(string)
  default     = ["0.0.0.0/0"]
}

variable "api_image_tag" {
  type    = string
  default = "1.14.2"
}
