package main

import "fmt"

const ALIBABA_CLOUD_ACCESS_KEY_ID = "<<ward:SEC-022>>"

func main() { fmt.Println(len(ALIBABA_CLOUD_ACCESS_KEY_ID)) }
