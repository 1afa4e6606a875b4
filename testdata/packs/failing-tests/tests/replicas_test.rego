package ward.failing.replicas_test

import rego.v1

import data.ward.failing.replicas

test_one_replica_is_denied if {
  count(replicas.deny) == 1 with input as {"object": {"kind": "Deployment", "spec": {"replicas": 1}}}
}

# Wrong on purpose: three replicas are fine.
test_three_replicas_are_denied if {
  count(replicas.deny) == 1 with input as {"object": {"kind": "Deployment", "spec": {"replicas": 3}}}
}
