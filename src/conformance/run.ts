import { decodeBase64 } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';

/** vectorBytes decodes a base64 field of a vector file (Go's StdEncoding, no line breaks). */
export function vectorBytes(b64: string): Uint8Array {
  const b = decodeBase64(b64, { skipNewlines: false });
  if (b === undefined) throw new TypeError(`vector field is not base64: ${b64.slice(0, 40)}`);
  return b;
}

/** VectorCase is one conformance case: an input and either the wanted output or the wanted error. */
export type VectorCase =
  | { readonly name: string; readonly input: unknown; readonly want: unknown }
  | { readonly name: string; readonly input: unknown; readonly error: { readonly code: string; readonly go?: string } };

/** VectorFile is one `vectors/<area>/<topic>.json` file (schema in vectors/README.md). */
export type VectorFile = {
  readonly generator: string;
  readonly xmod: string;
  readonly area: string;
  readonly topic: string;
  readonly cases: readonly VectorCase[];
};

/** Runner computes this implementation's answer for one case input, as JSON-comparable data. */
// biome-ignore lint/suspicious/noExplicitAny: a vector's input is JSON whose shape only its runner knows.
export type Runner = (input: any) => unknown;

/** Runners maps `area/topic` to the runner for that vector file. */
export type Runners = Readonly<Record<string, Runner>>;

// Why v is not a vector file with at least one well-formed case, or undefined if it is one.
function malformed(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'not a JSON object';
  const f = v as Record<string, unknown>;
  if (typeof f['area'] !== 'string' || typeof f['topic'] !== 'string') return 'no string "area" and "topic"';
  const cases = f['cases'];
  if (!Array.isArray(cases) || cases.length === 0) return '"cases" is not a non-empty array';
  const i = cases.findIndex((c: unknown) => {
    if (c === null || typeof c !== 'object' || Array.isArray(c)) return true;
    const k = c as Record<string, unknown>;
    if (typeof k['name'] !== 'string' || !('input' in k)) return true;
    if (!('error' in k)) return !('want' in k);
    const e = k['error'];
    return e === null || typeof e !== 'object' || typeof (e as Record<string, unknown>)['code'] !== 'string';
  });
  return i < 0 ? undefined : `case ${i} is not {name, input, want} or {name, input, error: {code}}`;
}

/** CaseResult is the verdict on one case. */
export type CaseResult = { readonly file: string; readonly name: string; readonly ok: boolean; readonly detail?: string };

/**
 * runVectorFile runs every case of one vector file and reports each verdict.
 * A case passes when the runner returns a value deep-equal to `want` (as JSON), or throws a
 * {@link GosumdbError} whose code equals `error.code`. Anything else fails, including a missing runner.
 */
export async function runVectorFile(file: string, vf: VectorFile, runners: Runners): Promise<CaseResult[]> {
  // The file is JSON from disk: its shape is checked, and a file with no case passes nothing.
  const bad = malformed(vf);
  if (bad !== undefined) return [{ file, name: '*', ok: false, detail: `not a vector file: ${bad}` }];
  const runner = runners[`${vf.area}/${vf.topic}`];
  if (!runner) return [{ file, name: '*', ok: false, detail: `no runner for ${vf.area}/${vf.topic}` }];
  const out: CaseResult[] = [];
  for (const c of vf.cases) {
    let got: unknown;
    let err: unknown;
    try {
      got = await runner(c.input);
    } catch (e) {
      err = e;
    }
    if ('error' in c) {
      if (err instanceof GosumdbError && err.code === c.error.code) out.push({ file, name: c.name, ok: true });
      else
        out.push({
          file,
          name: c.name,
          ok: false,
          detail: err ? `want error ${c.error.code}, got ${describe(err)}` : `want error ${c.error.code}, got ${JSON.stringify(got)}`,
        });
    } else if (err !== undefined) {
      out.push({ file, name: c.name, ok: false, detail: `unexpected error ${describe(err)}` });
    } else {
      const a = JSON.stringify(normalize(got));
      const b = JSON.stringify(normalize(c.want));
      out.push(a === b ? { file, name: c.name, ok: true } : { file, name: c.name, ok: false, detail: `want ${b}\n got ${a}` });
    }
  }
  return out;
}

function describe(e: unknown): string {
  return e instanceof GosumdbError ? `${e.code}: ${e.message}` : String(e);
}

// Sort object keys so that key order never decides a verdict.
function normalize(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalize);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) o[k] = normalize(x);
    }
    return o;
  }
  return v;
}
