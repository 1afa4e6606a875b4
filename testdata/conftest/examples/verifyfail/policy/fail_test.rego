package main

test_passes if true

test_fails if {
	1 == 2
}

todo_test_later if false
