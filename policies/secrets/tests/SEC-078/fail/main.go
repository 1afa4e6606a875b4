package main

import "fmt"

const DOCKERHUB_ORG_TOKEN = "<<ward:SEC-078>>"

func main() { fmt.Println(len(DOCKERHUB_ORG_TOKEN)) }
