# Escapes and non-ASCII text in strings, identifiers with dashes and underscores,
# numbers in every notation HCL allows.
locals {
  escapes     = "tab\tnewline\nquote\"backslash\\ unicode\u00e9 astral\U0001F600"
  unicode     = "Crème brûlée — 日本語 🍰"
  dollar      = "costs $5, not an interpolation"
  interpolate = "${local.unicode} / ${upper("x")}"
  with-dashes = "identifiers may contain dashes"
  _leading    = "and start with an underscore"
  int         = 42
  negative    = -7
  float       = 3.25
  exponent    = 1e3
  big         = 9007199254740993
  bool_true   = true
  nothing     = null
  empty       = ""
  list        = []
  object      = {}
}
