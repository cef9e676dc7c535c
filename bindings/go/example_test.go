package utx_test

import (
	"fmt"
	"io"
	"path/filepath"

	"utx"
)

// Reading with NextBatch: one lock and one library call per 256 entries,
// into a slice the loop reuses (each Entry in it is still a copy).
func ExampleReader_NextBatch() {
	r, err := utx.Open(filepath.Join("..", "..", "samples", "wtmp"), utx.Types(utx.TypeUserProcess))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	buf := make([]utx.Entry, 256)
	logins := map[string]int{}
	for {
		n, err := r.NextBatch(buf)
		for _, e := range buf[:n] {
			logins[e.User]++
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
	}
	fmt.Println(logins["root"], logins["mruser"])
	// Output: 7 16
}
