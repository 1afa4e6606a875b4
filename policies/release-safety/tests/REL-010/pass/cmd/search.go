package main

func search() bool {
	return flags.Bool("old_search")
}
