package main

import "fmt"

const GOCARDLESS_ACCESS_TOKEN = "<<ward:SEC-148>>"

func main() { fmt.Println(len(GOCARDLESS_ACCESS_TOKEN)) }
