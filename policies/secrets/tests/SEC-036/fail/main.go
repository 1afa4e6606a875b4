package main

import "fmt"

const NETLIFY_AUTH_TOKEN = "<<ward:SEC-036>>"

func main() { fmt.Println(len(NETLIFY_AUTH_TOKEN)) }
