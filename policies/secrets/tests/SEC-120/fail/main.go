package main

import "fmt"

const DISCORD_WEBHOOK_URL = "<<ward:SEC-120>>"

func main() { fmt.Println(len(DISCORD_WEBHOOK_URL)) }
