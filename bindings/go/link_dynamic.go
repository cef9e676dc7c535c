//go:build !utx_static

package utx

// The default: libutx.so.1 as pkg-config finds it (set PKG_CONFIG_PATH for
// a library installed outside the default prefix).

// #cgo pkg-config: utx
import "C"
