package main

import "fmt"

const AIRTABLE_TOKEN = "<<ward:SEC-176>>"

func main() { fmt.Println(len(AIRTABLE_TOKEN)) }
