package main

deny contains msg if {
	input.DEBUG == "true"
	msg := "DEBUG must not be enabled"
}

warn contains msg if {
	not startswith(input.DATABASE_URL, "postgres://db.internal")
	msg := sprintf("unexpected database %s", [input.DATABASE_URL])
}
