// Command dumpjson prints every entry of each file for bindings/compare-dump.py.
// It reads each file twice, with Next and with NextBatch (into a slice
// of 100, so batches of the library split across calls), and fails when
// the two differ: the corpus check covers both.
package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"

	"utx"
)

func main() {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for _, path := range os.Args[1:] {
		fmt.Fprintln(out, "FILE "+path)
		entries := read(path, false)
		if batch := read(path, true); !reflect.DeepEqual(batch, entries) {
			fmt.Fprintf(os.Stderr, "%s: NextBatch read %d entries that differ from the %d of Next\n", path, len(batch), len(entries))
			os.Exit(1)
		}
		for _, e := range entries {
			addr := ""
			if e.Addr.IsValid() {
				addr = e.Addr.String()
			}
			_ = enc.Encode(map[string]any{
				"format": e.Format, "offset": e.Offset, "type": e.Type.String(), "raw_type": e.RawType,
				"user_hex": hex.EncodeToString([]byte(e.User)), "line_hex": hex.EncodeToString([]byte(e.Line)),
				"id_hex": hex.EncodeToString([]byte(e.ID)), "host_hex": hex.EncodeToString([]byte(e.Host)),
				"service_hex": hex.EncodeToString([]byte(e.Service)), "pid": e.PID, "session": e.Session,
				"uid": e.UID, "exit_termination": e.ExitTermination, "exit_status": e.ExitStatus,
				"sec": e.Sec, "usec": e.Usec, "addr": addr, "flags": uint32(e.Flags),
			})
		}
	}
}

// read gives every entry of path, read with NextBatch into a slice of
// 100 when batch is set, else with Next; it exits on an error.
func read(path string, batch bool) []utx.Entry {
	r, err := utx.Open(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer r.Close()
	var es []utx.Entry
	buf := make([]utx.Entry, 100)
	for err == nil {
		if !batch {
			for r.Next() {
				es = append(es, r.Entry())
			}
			err = r.Err()
			break
		}
		var n int
		n, err = r.NextBatch(buf)
		es = append(es, buf[:n]...)
	}
	if err != nil && err != io.EOF {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	return es
}
