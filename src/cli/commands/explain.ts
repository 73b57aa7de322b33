import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { resolveSumDB } from '../../client/resolve.js';
import { MAX_ZIP_FILE } from '../../dirhash/index.js';
import { parseGoSum, renderExplanation, type Explanation, type GoSum } from '../../gosum/index.js';
import { explainOnDisk, httpTransport } from '../../node/index.js';
import { goSumDBClient, type GoSumDBClient } from '../client.js';
import type { Command, Io } from '../command.js';
import { isSecurityCode } from '../errors.js';
import { EXIT, UsageError, type ExitCode } from '../exit.js';
import { databaseFlags, databaseUsage, goEnv, lookupFlags, parseFlags, runDeadline, stateFlag, type Deadline } from '../flags.js';

/** explainExitCode: 0 when every source agrees, 3 when the database's proof failed, else 1 (a problem explained, or not explainable). */
export function explainExitCode(e: Explanation): ExitCode {
  if (e.sources.some((s) => s.kind === 'sumdb' && s.errorCode !== undefined && isSecurityCode(s.errorCode))) return EXIT.security;
  return e.verdict === 'consistent' ? EXIT.ok : EXIT.problems;
}

async function readGoSum(file: string, cwd: string, required: boolean): Promise<GoSum | undefined> {
  let text: Uint8Array;
  try {
    text = new Uint8Array(await readFile(resolve(cwd, file)));
  } catch (e) {
    if (!required && (e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  return parseGoSum(text, { filename: file });
}

/** ExplainContext is what {@link explainAll} shares with the command that runs it (explain, audit --explain). */
export type ExplainContext = {
  readonly io: Io;
  readonly env: Awaited<ReturnType<typeof goEnv>>;
  readonly g: GoSumDBClient;
  readonly deadline: Deadline;
  readonly goSum?: GoSum | undefined;
  readonly offline: boolean;
  readonly vcs?: string | undefined;
  readonly subdir?: string | undefined;
  readonly diff: boolean;
};

/** explainAll explains each module version in turn with the go command's settings: the database, the GOPROXY list, GOMODCACHE. */
export async function explainAll(modules: readonly { path: string; version: string }[], ctx: ExplainContext): Promise<Explanation[]> {
  const proxies = ctx.offline
    ? []
    : resolveSumDB(ctx.env)
        .proxies.map((p) => p.url)
        .filter((u) => /^https?:\/\//i.test(u));
  const vcs = ctx.vcs === undefined ? undefined : /^[a-z][a-z0-9+.-]*:\/\//i.test(ctx.vcs) ? ctx.vcs : resolve(ctx.io.cwd, ctx.vcs);
  const transport = httpTransport({
    signal: ctx.deadline.signal,
    maxBytes: MAX_ZIP_FILE,
    retries: 1,
    ...(ctx.env.proxy ? { proxy: ctx.env.proxy } : {}),
  });
  const out: Explanation[] = [];
  for (const { path, version } of modules) {
    out.push(
      await explainOnDisk(path, version, {
        ...(ctx.goSum ? { goSum: ctx.goSum } : {}),
        ...(ctx.g.client ? { client: ctx.g.client, sumdbName: ctx.g.db.name } : {}),
        proxies,
        transport,
        ...(ctx.env.GOMODCACHE ? { gomodcache: ctx.env.GOMODCACHE } : {}),
        ...(vcs !== undefined ? { vcs } : {}),
        ...(ctx.subdir !== undefined ? { subdir: ctx.subdir } : {}),
        diff: ctx.diff,
        timeoutMs: ctx.deadline.ms,
        signal: ctx.deadline.signal,
      }),
    );
  }
  return out;
}

/** `gosumdb explain path@version [go.sum]`: why a checksum does not match, from every source. */
export const explainCommand: Command = {
  usage: `Usage: gosumdb explain [flags] <path@version> [go.sum]

Gathers every hash of one module version and proves or computes each: the go.sum lines (default
./go.sum), the checksum database's record (proved), each GOPROXY entry's .info/.mod/.zip, the
module cache (zip, .ziphash, extracted directory), and the origin repository (from the proxy's
Origin or --vcs) rebuilt as the go command builds it. Compares them file by file and ends with one
verdict: gosum-edited, cache-modified, proxy-differs, retagged, line-endings, gomod-only,
not-published, consistent or unknown, its evidence and the remedy. A source that does not answer
in time is shown as such.

Flags:
${databaseUsage}
  --vcs <url|dir>     the origin repository (default: the proxy's Origin URL)
  --subdir <dir>      the module's directory in that repository
  --diff              short diffs of changed small text files
  --json              print the whole evidence as JSON (schema "gosumdb/explain", version 1)

Exit status:
  0  every source agrees
  1  a problem explained (or sources that disagree in a way no verdict covers)
  2  usage error, unreadable go.sum, malformed GOSUMDB/GOPROXY
  3  security error: the checksum database's answer failed its proof
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      ...databaseFlags,
      vcs: { type: 'string' },
      subdir: { type: 'string' },
      diff: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (positionals.length < 1 || positionals.length > 2) throw new UsageError('expected <path@version> [go.sum]');
    const arg = positionals[0]!;
    const at = arg.lastIndexOf('@');
    if (at <= 0 || at === arg.length - 1) throw new UsageError(`expected path@version, got ${JSON.stringify(arg)}`);
    const path = arg.slice(0, at);
    const version = arg.slice(at + 1);
    const goSum = await readGoSum(positionals[1] ?? 'go.sum', io.cwd, positionals[1] !== undefined);
    const deadline = runDeadline(values.timeout);
    try {
      const env = await goEnv(io, values);
      const state = stateFlag(io, values);
      const g = goSumDBClient({
        env,
        ...lookupFlags(values, state),
        http: { signal: deadline.signal },
      });
      const [e] = await explainAll([{ path, version }], {
        io,
        env,
        g,
        deadline,
        goSum,
        offline: values.offline ?? false,
        vcs: values.vcs,
        subdir: values.subdir,
        diff: values.diff ?? false,
      });
      io.stdout(values.json ? `${JSON.stringify(e, null, 2)}\n` : renderExplanation(e!, { diff: values.diff ?? false }));
      return explainExitCode(e!);
    } finally {
      deadline.clear();
    }
  },
};
