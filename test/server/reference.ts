// Independent reference computations for the server tests: RFC 6962 hashes with node:crypto and
// the synthetic modules' go.sum lines from their definition, not from the code under test.
import { createHash } from 'node:crypto';

const te = new TextEncoder();

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** RFC 6962 §2.1 leaf hash. */
export function leaf(data: Uint8Array): Uint8Array {
  return sha256(new Uint8Array([0]), data);
}

/** RFC 6962 §2.1 Merkle Tree Hash of records[lo, hi), by the recursive definition. */
export function mth(records: readonly Uint8Array[], lo = 0, hi = records.length): Uint8Array {
  if (hi === lo) return sha256();
  if (hi - lo === 1) return leaf(records[lo]!);
  let k = 1;
  while (k * 2 < hi - lo) k *= 2;
  return sha256(new Uint8Array([1]), mth(records, lo, lo + k), mth(records, lo + k, hi));
}

export function b64(b: Uint8Array): string {
  return Buffer.from(b).toString('base64');
}

/** The go.sum lines of synthetic module i, as test/interop/go/sumdbserver defines them. */
export function synthetic(i: number, salt = ''): { path: string; version: string; text: string } {
  const path = i % 5 === 0 ? `github.com/Upper${i}/Pkg` : `example.com/m${i}`;
  const version = `v1.${i % 3}.${i}`;
  const zip = b64(sha256(te.encode(`${salt}zip ${path}@${version}`)));
  const mod = b64(sha256(te.encode(`${salt}mod ${path}@${version}`)));
  return { path, version, text: `${path} ${version} h1:${zip}\n${path} ${version}/go.mod h1:${mod}\n` };
}

/** The escaped lookup path of synthetic module i ('!' + lower case for upper case, as module.EscapePath). */
export function lookupPath(i: number): string {
  const m = synthetic(i);
  const esc = (s: string) => s.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
  return `/lookup/${esc(m.path)}@${esc(m.version)}`;
}

export function text(b: Uint8Array): string {
  return new TextDecoder().decode(b);
}

export function bytes(s: string): Uint8Array {
  return te.encode(s);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}
