// Command readall reads every entry of a file (each copied into an Entry)
// and prints "records=N seconds=S"; bench/bindings.sh times it. It reads
// with Next and Entry, or with NextBatch into a reused []Entry of 256
// when the first argument is -batch.
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"utx"
)

func main() {
	batch := len(os.Args) > 2 && os.Args[1] == "-batch"
	path := os.Args[len(os.Args)-1]
	start := time.Now()
	r, err := utx.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	n, sum := 0, int64(0)
	if batch {
		buf := make([]utx.Entry, 256)
		for {
			k, err := r.NextBatch(buf)
			for i := range buf[:k] {
				e := &buf[i]
				sum += e.Sec + int64(len(e.User))
			}
			n += k
			if err == io.EOF {
				break
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
	} else {
		for r.Next() {
			e := r.Entry()
			sum += e.Sec + int64(len(e.User))
			n++
		}
		if err := r.Err(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	r.Close()
	fmt.Printf("records=%d seconds=%.6f sum=%d\n", n, time.Since(start).Seconds(), sum)
}
