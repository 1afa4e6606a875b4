# METADATA
# title: t
# custom:
#   id: BAD-1
#   severity: low
package ward.bad

deny contains msg if {
  msg := input.object.a +
}
