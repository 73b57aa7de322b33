// What a monitor reports about the records of a log, and the one rendering of each finding for
// people (the CLI prints it; `--json` prints the finding object itself).

/** RecordLineKind says what a go.sum line in a record hashes: the module zip or its go.mod file. */
export type RecordLineKind = 'zip' | 'go.mod';

/**
 * MonitorFinding is one thing a monitor reports about a record of the log, identified by the
 * record's index (`id`):
 * - `duplicate`: a second record holds the go.sum line for the same module version and kind
 *   (`firstId` is the record that held it first); the checksum database promises one;
 * - `malformed`: the record is not in go.sum line format, or names an invalid module version;
 *   `text` is the record, quoted and cut to 300 bytes;
 * - `watch`: a record whose module path matches a watched prefix (`pattern`).
 */
export type MonitorFinding =
  | {
      readonly kind: 'duplicate';
      readonly id: number;
      readonly firstId: number;
      readonly path: string;
      readonly version: string;
      readonly line: RecordLineKind;
    }
  | { readonly kind: 'malformed'; readonly id: number; readonly reason: string; readonly text: string }
  | { readonly kind: 'watch'; readonly id: number; readonly path: string; readonly version: string; readonly pattern: string };

/**
 * formatFinding renders a {@link MonitorFinding} as one line for people, without a newline.
 *
 * @example
 * ```ts
 * import { formatFinding } from 'gosumdb/monitor';
 * console.log(formatFinding({ kind: 'duplicate', id: 9, firstId: 2, path: 'example.com/m', version: 'v1.0.0', line: 'go.mod' }));
 * // duplicate: record 9 repeats example.com/m@v1.0.0/go.mod from record 2
 * ```
 */
export function formatFinding(f: MonitorFinding): string {
  switch (f.kind) {
    case 'duplicate':
      return `duplicate: record ${f.id} repeats ${f.path}@${f.version}${f.line === 'go.mod' ? '/go.mod' : ''} from record ${f.firstId}`;
    case 'malformed':
      return `malformed: record ${f.id}: ${f.reason}: ${f.text}`;
    case 'watch':
      return `watch: record ${f.id}: ${f.path}@${f.version} (matches ${f.pattern})`;
  }
}

/** findingKey identifies a finding within a log: stores keep each key once. */
export function findingKey(f: MonitorFinding): string {
  return f.kind === 'duplicate' ? `${f.id}:duplicate:${f.line}` : `${f.id}:${f.kind}`;
}
