//go:build amd64 || arm64

package utx

// wordLoads: little-endian, and loads of 8 bytes need no alignment.
const wordLoads = true
