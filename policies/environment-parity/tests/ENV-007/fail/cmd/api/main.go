package main

import "os"

func main() {
	addr := os.Getenv("LISTEN_ADDR")
	serve(addr)
}
