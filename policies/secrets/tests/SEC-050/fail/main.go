package main

import "fmt"

const HF_TOKEN = "<<ward:SEC-050>>"

func main() { fmt.Println(len(HF_TOKEN)) }
