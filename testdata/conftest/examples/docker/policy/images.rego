package main

denylist := ["openjdk"]

deny contains msg if {
	some i
	input[i].Cmd == "from"
	val := input[i].Value
	contains(val[0], denylist[_])
	msg := sprintf("unallowed image found %s", [val])
}
