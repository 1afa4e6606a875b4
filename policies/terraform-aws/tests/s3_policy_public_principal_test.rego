package ward.terraform_aws.s3_policy_public_principal_test

import rego.v1

import data.ward.terraform_aws.s3_policy_public_principal as rule

policy(principal) := json.marshal({"Statement": [{"Effect": "Allow", "Principal": principal, "Action": "s3:GetObject"}]})

bucket_policy(principal) := {
	"meta": {"type": "aws_s3_bucket_policy", "name": "p"},
	"object": {"block": "resource", "config": {"policy": policy(principal)}, "expressions": {"policy": "<<EOT"}},
}

test_aws_star_in_a_list_is_any_principal if {
	count(rule.deny) == 1 with input as bucket_policy({"AWS": ["arn:aws:iam::111122223333:root", "*"]})
}

test_service_principal_is_not_any_principal if {
	count(rule.deny) == 0 with input as bucket_policy({"Service": "cloudfront.amazonaws.com"})
}
