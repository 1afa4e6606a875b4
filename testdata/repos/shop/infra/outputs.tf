output "logs_bucket" {
  description = "Name of the access-log bucket."
  value       = aws_s3_bucket.logs.bucket
}

output "assets_bucket_arn" {
  value = aws_s3_bucket.assets.arn
}

output "db_endpoint" {
  description = "Postgres endpoint (host:port)."
  value       = aws_db_instance.shop.endpoint
}

output "ecs_cluster_name" {
  value = aws_ecs_cluster.shop.name
}

output "private_subnet_ids" {
  value = module.vpc.private_subnets
}
