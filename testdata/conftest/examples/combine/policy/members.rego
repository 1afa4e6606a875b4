package main

deny contains msg if {
	some user in input
	user.contents.kind == "User"
	not is_member(user.contents.name)
	msg := sprintf("%s (%s) is in no team", [user.contents.name, user.path])
}

deny contains msg if {
	count(input) == 0
	msg := "nothing to check"
}

is_member(name) if {
	some team in input
	team.contents.kind == "Team"
	name in team.contents.members
}
