package main

import "fmt"

const CI_JOB_TOKEN = "<<ward:SEC-064>>"

func main() { fmt.Println(len(CI_JOB_TOKEN)) }
