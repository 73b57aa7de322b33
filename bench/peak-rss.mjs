// The peak RSS of this process alone, for the bench's child processes. Linux's getrusage
// (process.resourceUsage().maxRSS) carries the parent's RSS at fork over exec: a child of a
// bench process holding a 10-million-record synthetic log reported 331 MB where it peaked at 283
// (a 39 MB child of a 541 MB parent reported 504). /proc/self/status's VmHWM is the high-water
// mark of the process's own memory since exec; elsewhere maxRSS is all there is.
import { readFileSync } from 'node:fs';

/** peakRssKiB returns this process's peak resident set size in KiB. */
export function peakRssKiB() {
  try {
    const m = /^VmHWM:\s*(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS;
}
