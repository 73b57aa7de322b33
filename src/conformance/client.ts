import { encodeBase64 } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { Client, memoryOps, NotFoundError } from '../client/index.js';
import { vectorBytes as bytes, type Runners } from './run.js';

type Step = { readonly path?: string; readonly version?: string; readonly newClient?: boolean };

type LookupInput = {
  readonly key: string;
  readonly tileHeight: number;
  readonly noSumDB: string;
  readonly config: Readonly<Record<string, string>>;
  readonly remote: Readonly<Record<string, string>>;
  readonly steps: readonly Step[];
};

type StepResult = { readonly lines: string[] } | { readonly error: string; readonly go: string };

// Runs the steps of a client/lookup case with one Client (replaced on `newClient`) over memoryOps
// whose remote serves exactly the case's files ("no remote path <p>" as NotFoundError otherwise).
async function lookupCase(input: LookupInput): Promise<unknown> {
  const remote = new Map(Object.entries(input.remote).map(([k, v]) => [k, bytes(v)] as const));
  let security = '';
  const ops = memoryOps({
    key: input.key,
    remote: async (path) => {
      const data = remote.get(path);
      if (data === undefined) throw new NotFoundError(`no remote path ${path}`);
      return data.slice();
    },
    securityError: (msg) => {
      security += msg;
    },
  });
  for (const [k, v] of Object.entries(input.config)) ops.config.set(k, bytes(v));
  const newClient = () => new Client(ops, { tileHeight: input.tileHeight, noSumDB: input.noSumDB });
  let client = newClient();
  const results: StepResult[] = [];
  for (const s of input.steps) {
    if (s.newClient) {
      client = newClient();
      continue;
    }
    try {
      results.push({ lines: await client.lookup(s.path!, s.version!) });
    } catch (e) {
      if (!(e instanceof GosumdbError)) throw e;
      results.push({ error: e.code, go: e.message });
    }
  }
  return {
    results,
    latest: encodeBase64(ops.config.get(`${nameOf(input.key)}/latest`) ?? new Uint8Array(0)),
    cached: [...ops.cache.keys()].sort(),
    security,
  };
}

function nameOf(vkey: string): string {
  return vkey.slice(0, vkey.indexOf('+'));
}

/** clientRunners run vectors/client: Go's sumdb.Client answers (lines, errors, stored tree, cache, security report). */
export const clientRunners: Runners = {
  'client/lookup': (input: LookupInput) => lookupCase(input),
};
