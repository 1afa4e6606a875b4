variable "db_instance_class" {
  type    = string
  default = "db.t4g.medium"
}

variable "db_multi_az" {
  type    = bool
  default = false
}

variable "db_engine_version" {
  type    = string
  default = "16.3"
}

variable "db_backup_retention_days" {
  type    = number
  default = 1
}

variable "lambda_runtime" {
  type    = string
  default = "python3.11"
}

variable "eks_cluster_version" {
  type = string
}
