// Command readall reads every entry of a file (each copied into an Entry)
// and prints "records=N seconds=S"; bench/bindings.sh times it.
package main

import (
	"fmt"
	"os"
	"time"

	"utx"
)

func main() {
	start := time.Now()
	r, err := utx.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	n, sum := 0, int64(0)
	for r.Next() {
		e := r.Entry()
		sum += e.Sec + int64(len(e.User))
		n++
	}
	if err := r.Err(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	r.Close()
	fmt.Printf("records=%d seconds=%.6f sum=%d\n", n, time.Since(start).Seconds(), sum)
}
