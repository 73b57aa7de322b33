// Package peakrss reports a bench program's peak RSS, shared by the Go baselines (bench/go/*),
// imported as gosumdb.dev/bench/peakrss through the link bench/gobuild.ts makes in .gopath.
package peakrss

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// KiB is this process's peak RSS in KiB: /proc/self/status's VmHWM, the high-water mark since
// exec. getrusage's Maxrss carries the parent's RSS at fork over exec on Linux (a child of the
// bench's Node process, which holds the synthetic log, reported the parent's size); it is the
// answer only where /proc is missing.
func KiB() int64 {
	if b, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" {
				if n, err := strconv.ParseInt(f[1], 10, 64); err == nil {
					return n
				}
			}
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return int64(ru.Maxrss)
}
