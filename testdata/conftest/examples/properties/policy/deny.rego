package main

deny contains msg if {
	not startswith(input.SAMPLE_KEY, "https://")
	msg := "SAMPLE_KEY must be an https address"
}

deny contains msg if {
	input["db.pool.size"] != "10"
	msg := "the pool size must be 10"
}
