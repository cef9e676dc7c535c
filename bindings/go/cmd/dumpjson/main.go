// Command dumpjson prints every entry of each file for bindings/compare-dump.py.
package main

import (
	"bufio"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"

	"utx"
)

func main() {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for _, path := range os.Args[1:] {
		fmt.Fprintln(out, "FILE "+path)
		r, err := utx.Open(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for r.Next() {
			e := r.Entry()
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
		if err := r.Err(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		r.Close()
	}
}
