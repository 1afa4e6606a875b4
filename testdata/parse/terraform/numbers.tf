# Numbers at the edges of 64-bit integers. Terraform's numbers have arbitrary precision, so
# negating the smallest i64 gives a positive integer, not an overflow.
locals {
  max_i64      = 9223372036854775807
  min_i64      = -9223372036854775808
  negated_min  = -(-9223372036854775808)
  double_minus = - -9223372036854775808
  min_from_u64 = -(9223372036854775808)
  max_u64      = 18446744073709551615
  negated_u64  = -18446744073709551615
  beyond_u64   = 18446744073709551616
  fraction     = -(-1.5)
  zero         = -0
  in_a_list    = [-(-9223372036854775808), -(1)]
}
