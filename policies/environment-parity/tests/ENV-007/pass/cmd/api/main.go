package main

import "os"

func main() {
	addr := os.Getenv("LISTEN_ADDR")
	if v, ok := os.LookupEnv("PROFILE"); ok {
		profile(v)
	}
	serve(addr)
}
