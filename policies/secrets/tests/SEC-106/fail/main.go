package main

import "fmt"

const NEW_RELIC_API_KEY = "<<ward:SEC-106>>"

func main() { fmt.Println(len(NEW_RELIC_API_KEY)) }
