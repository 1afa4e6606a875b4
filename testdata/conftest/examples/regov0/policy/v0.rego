package main

deny[msg] {
	input.name == "conftest"
	msg := "the name must not be conftest"
}
