package main

git_ignored if {
	some entry in input
	entry.Kind == "Path"
	entry.Value == ".git"
}

deny contains "the .git directory should be ignored" if {
	not git_ignored
}

warn contains sprintf("%s is re-included", [entry.Value]) if {
	some entry in input
	entry.Kind == "NegatedPath"
}
