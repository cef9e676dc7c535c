//go:build utx_static

package utx

// -tags utx_static: libutx.a of this checkout (run `make` at the top first)
// and the system libraries rustc asked for (build/native-static-libs; a
// test checks they agree), so the program needs no libutx.so.1.

// #cgo CFLAGS: -I${SRCDIR}/../../include
// #cgo LDFLAGS: ${SRCDIR}/../../build/libutx.a -lutil -lrt -lpthread -lm -ldl -lc
import "C"
