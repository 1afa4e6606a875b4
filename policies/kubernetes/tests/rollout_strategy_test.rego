package ward.kubernetes.rollout_strategy_test

import rego.v1

import data.ward.kubernetes.rollout_strategy

test_max_unavailable_in_pods if {
	rollout_strategy.pods_of(1, 10) == 1
	rollout_strategy.pods_of("2", 10) == 2
	rollout_strategy.pods_of("25%", 3) == 0
	rollout_strategy.pods_of("25%", 4) == 1
	rollout_strategy.pods_of("50%", 5) == 2
}

test_last_replica_count_a_percentage_keeps_at_zero if {
	rollout_strategy.last_safe("25%") == 3
	rollout_strategy.last_safe("30%") == 3
	rollout_strategy.last_safe("50%") == 1
}
