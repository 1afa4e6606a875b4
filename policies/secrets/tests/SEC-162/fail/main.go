package main

import "fmt"

const DATABASE_PASSWORD = "<<ward:SEC-162>>"

func main() { fmt.Println(len(DATABASE_PASSWORD)) }
