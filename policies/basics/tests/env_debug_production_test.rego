package ward.basics.env_debug_production_test

import rego.v1

import data.ward.basics.env_debug_production

production := {"environment": "production"}

test_debug_true_in_production_is_denied if {
  results := env_debug_production.deny with input as {"meta": production, "object": {"entries": [{"key": "DEBUG", "value": "True"}]}}
  count(results) == 1
}

test_debug_false_in_production_is_allowed if {
  results := env_debug_production.deny with input as {"meta": production, "object": {"entries": [{"key": "DEBUG", "value": "false"}]}}
  count(results) == 0
}

test_debug_in_development_is_allowed if {
  results := env_debug_production.deny with input as {"meta": {"environment": "development"}, "object": {"entries": [{"key": "debug", "value": "1"}]}}
  count(results) == 0
}
