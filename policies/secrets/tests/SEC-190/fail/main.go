package main

import "fmt"

const TS_AUTHKEY = "<<ward:SEC-190>>"

func main() { fmt.Println(len(TS_AUTHKEY)) }
