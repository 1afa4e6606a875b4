package main

import "fmt"

const DOPPLER_TOKEN = "<<ward:SEC-092>>"

func main() { fmt.Println(len(DOPPLER_TOKEN)) }
