//go:build !amd64 && !arm64

package utx

// wordLoads: strings are read a byte at a time on this architecture.
const wordLoads = false
