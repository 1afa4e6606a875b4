package main

import "fmt"

const SQUARE_APPLICATION_SECRET = "<<ward:SEC-134>>"

func main() { fmt.Println(len(SQUARE_APPLICATION_SECRET)) }
