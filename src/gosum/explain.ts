// Why a checksum does not match: every source's view of one module version (go.sum, the checksum
// database, each proxy, the module cache, the origin repository), compared file by file, and one
// verdict with its evidence and remedy. Pure: the sources are gathered through injected functions.

import { hash1 } from '../dirhash/index.js';
import { errorMessage, GosumdbError } from '../internal/errors.js';
import { printable } from '../internal/quote.js';
import { nobleSha256, type Sha256 } from '../internal/sha256.js';

/** Verdict is explain's answer, one of the situations of issue #13's table. */
export type Verdict =
  | 'gosum-edited'
  | 'cache-modified'
  | 'proxy-differs'
  | 'retagged'
  | 'line-endings'
  | 'gomod-only'
  | 'not-published'
  | 'consistent'
  | 'unknown';

/** SourceKind is where a view of the module version comes from. */
export type SourceKind = 'gosum' | 'sumdb' | 'proxy' | 'cache' | 'vcs';

/**
 * SourceStatus says whether a source answered: `ok`, `not-found` (it does not have the version), `unreachable`
 * (no answer in time), `error`.
 */
export type SourceStatus = 'ok' | 'not-found' | 'unreachable' | 'error';

/**
 * ExplainFile is one file of a module version: its name in the module, size, SHA-256 (hex), and for text files
 * the SHA-256 with CRLF turned into LF.
 */
export type ExplainFile = {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  /** lfSha256: the SHA-256 with every CRLF as LF (text files only: no NUL byte). */
  readonly lfSha256?: string;
  /** text: the content, for small text files when diffs were asked for. */
  readonly text?: string;
};

/** Origin is where a proxy says the version came from (the `.info` file's Origin). */
export type Origin = {
  readonly vcs?: string;
  readonly url?: string;
  readonly subdir?: string;
  readonly ref?: string;
  readonly hash?: string;
};

/** ExplainSource is one source's view of the module version. */
export type ExplainSource = {
  readonly kind: SourceKind;
  /** name says which one: `go.sum`, the database's name, a proxy URL, the cache directory, the repository. */
  readonly name: string;
  readonly status: SourceStatus;
  /** error: why a source did not answer; errorCode: the GosumdbError code when there is one. */
  readonly error?: string;
  readonly errorCode?: string;
  /** where: a file and line (go.sum), a tree (the database), a commit (the repository). */
  readonly where?: string;
  /** hash: the h1 of the module's files (go.sum's zip line). */
  readonly hash?: string;
  /** goModHash: the h1 of its go.mod (go.sum's /go.mod line). */
  readonly goModHash?: string;
  /** ziphash: the hash the module cache recorded at download time; dirHash: the extracted directory's. */
  readonly ziphash?: string;
  readonly dirHash?: string;
  readonly files?: readonly ExplainFile[];
  /** variants: the h1 of the same files with text files' line endings turned to CRLF or to LF. */
  readonly variants?: { readonly crlf: string; readonly lf: string };
  readonly origin?: Origin;
  /** commit: the commit a repository's files come from. */
  readonly commit?: string;
};

/** FileChange is one difference between two sources' files. */
export type FileChange = {
  readonly name: string;
  readonly change: 'added' | 'missing' | 'changed';
  readonly from?: { readonly size: number; readonly sha256: string };
  readonly to?: { readonly size: number; readonly sha256: string };
  /** lineEndingsOnly: the two contents are equal once CRLF is read as LF. */
  readonly lineEndingsOnly?: boolean;
  /** diff: a short line diff of small text files (`-` lines of `from`, `+` lines of `to`). */
  readonly diff?: string;
};

/** Comparison is the file-by-file difference from one source (`from`) to another (`to`). */
export type Comparison = { readonly from: string; readonly to: string; readonly changes: readonly FileChange[] };

/** Explanation is explain's result: the versioned JSON document `--json` prints. */
export type Explanation = {
  readonly schema: 'gosumdb/explain';
  readonly version: 1;
  readonly module: { readonly path: string; readonly version: string };
  readonly verdict: Verdict;
  /** summary: one sentence; evidence: the facts the verdict rests on; remedy: what to do. */
  readonly summary: string;
  readonly evidence: readonly string[];
  readonly remedy: string;
  /** restsOn: the sources the verdict rests on (those that answered). */
  readonly restsOn: readonly string[];
  readonly sources: readonly ExplainSource[];
  readonly comparisons: readonly Comparison[];
};

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function isText(data: Uint8Array): boolean {
  return !data.subarray(0, 8000).includes(0);
}

function toLf(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  let n = 0;
  for (let i = 0; i < data.length; i++) if (!(data[i] === 0x0d && data[i + 1] === 0x0a)) out[n++] = data[i]!;
  return out.subarray(0, n);
}

function toCrlf(data: Uint8Array): Uint8Array {
  const lf = toLf(data);
  let extra = 0;
  for (const b of lf) if (b === 0x0a) extra++;
  const out = new Uint8Array(lf.length + extra);
  let n = 0;
  for (const b of lf) {
    if (b === 0x0a) out[n++] = 0x0d;
    out[n++] = b;
  }
  return out;
}

/** DescribeOptions: the SHA-256 provider, and the size up to which text files keep their content for diffs (0: none). */
export type DescribeOptions = { readonly sha256?: Sha256; readonly keepText?: number };

/**
 * describeFiles lists a module version's files for {@link explainModule}: per file its size,
 * SHA-256 and line-ending-blind SHA-256, and the `h1:` hashes the same files would have with
 * their text files' line endings turned to CRLF or to LF (how a copy made with `core.autocrlf`
 * is recognized). Names are relative to the module root.
 *
 * @example
 * ```ts
 * import { describeFiles } from 'gosumdb/gosum';
 * const d = await describeFiles('m', 'v1.0.0', [{ name: 'a.txt', data: new TextEncoder().encode('x\r\n') }]);
 * console.log(d.files[0]?.size, d.files[0]?.sha256 === d.files[0]?.lfSha256); // 3 false
 * ```
 */
export async function describeFiles(
  path: string,
  version: string,
  contents: readonly { readonly name: string; readonly data: Uint8Array }[],
  options: DescribeOptions = {},
): Promise<{ files: ExplainFile[]; hash: string; variants: { crlf: string; lf: string } }> {
  const sha256 = options.sha256 ?? nobleSha256;
  const keep = options.keepText ?? 0;
  const files: ExplainFile[] = [];
  const byName = new Map<string, Uint8Array>();
  for (const { name, data } of contents) {
    byName.set(name, data);
    const text = isText(data);
    const f: ExplainFile = { name, size: data.length, sha256: hex(sha256.hash(data)) };
    files.push({
      ...f,
      ...(text ? { lfSha256: hex(sha256.hash(toLf(data))) } : {}),
      ...(text && data.length <= keep ? { text: new TextDecoder().decode(data) } : {}),
    });
  }
  const prefix = `${path}@${version}/`;
  const names = [...byName.keys()].map((n) => prefix + n);
  const variant = (conv: (d: Uint8Array) => Uint8Array) =>
    hash1(
      names,
      (n) => {
        const d = byName.get(n.slice(prefix.length))!;
        return isText(d) ? conv(d) : d;
      },
      { sha256 },
    );
  return {
    files,
    hash: await hash1(names, (n) => byName.get(n.slice(prefix.length))!, { sha256 }),
    variants: { crlf: await variant(toCrlf), lf: await variant(toLf) },
  };
}

// A short line diff: the common head and tail skipped, the middle shown as - and + lines.
function shortDiff(a: string, b: string, maxLines = 12): string {
  const x = a.split('\n');
  const y = b.split('\n');
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  let j = 0;
  while (j < x.length - i && j < y.length - i && x[x.length - 1 - j] === y[y.length - 1 - j]) j++;
  const show = (s: string) => JSON.stringify(s).slice(1, -1).slice(0, 120);
  const lines = [
    `@@ line ${i + 1} @@`,
    ...x.slice(i, x.length - j).map((l) => `-${show(l)}`),
    ...y.slice(i, y.length - j).map((l) => `+${show(l)}`),
  ];
  return (lines.length > maxLines + 1 ? [...lines.slice(0, maxLines), `... ${lines.length - maxLines} more lines`] : lines).join('\n');
}

/**
 * compareFiles lists what changed from one file list to another: names only in `to` (added),
 * only in `from` (missing), and files whose SHA-256 differs (changed, with sizes, whether only
 * line endings differ, and a short diff when both contents were kept).
 *
 * @example
 * ```ts
 * import { compareFiles } from 'gosumdb/gosum';
 * const changes = compareFiles([{ name: 'a', size: 1, sha256: '00' }], [{ name: 'b', size: 1, sha256: '00' }]);
 * console.log(changes.map((c) => `${c.change} ${c.name}`)); // [ 'missing a', 'added b' ]
 * ```
 */
export function compareFiles(from: readonly ExplainFile[], to: readonly ExplainFile[]): FileChange[] {
  const a = new Map(from.map((f) => [f.name, f]));
  const b = new Map(to.map((f) => [f.name, f]));
  const out: FileChange[] = [];
  for (const f of from) {
    const g = b.get(f.name);
    if (g === undefined) out.push({ name: f.name, change: 'missing', from: { size: f.size, sha256: f.sha256 } });
    else if (g.sha256 !== f.sha256) {
      out.push({
        name: f.name,
        change: 'changed',
        from: { size: f.size, sha256: f.sha256 },
        to: { size: g.size, sha256: g.sha256 },
        lineEndingsOnly: f.lfSha256 !== undefined && f.lfSha256 === g.lfSha256,
        ...(f.text !== undefined && g.text !== undefined ? { diff: shortDiff(f.text, g.text) } : {}),
      });
    }
  }
  for (const g of to) if (!a.has(g.name)) out.push({ name: g.name, change: 'added', to: { size: g.size, sha256: g.sha256 } });
  return out;
}

const short = (h: string | undefined) => h ?? '(none)';

/**
 * explainModule decides why the sources disagree about `path@version`, taking the checksum
 * database's proved record as the reference: a proxy that serves other content
 * (`proxy-differs`), a module cache whose zip, directory or .mod differs from its .ziphash or the
 * database (`cache-modified`), go.sum lines that match nothing (`gosum-edited`) or only a
 * wrong /go.mod line (`gomod-only`), an origin repository whose tag now builds something else
 * (`retagged`), differences that vanish when CRLF is read as LF (`line-endings`), a version the
 * database does not know (`not-published`), `consistent` when all agree, and `unknown` when the
 * database could not answer or the disagreement fits none of these. The sources that did not
 * answer are listed as such; the verdict names the ones it rests on.
 *
 * @example
 * ```ts
 * import { explainModule } from 'gosumdb/gosum';
 * const e = explainModule('example.com/m', 'v1.0.0', [
 *   { kind: 'gosum', name: 'go.sum', status: 'ok', hash: 'h1:edited=' },
 *   { kind: 'sumdb', name: 'sum.golang.org', status: 'ok', hash: 'h1:real=', goModHash: 'h1:mod=' },
 * ]);
 * console.log(e.verdict); // gosum-edited
 * ```
 */
export function explainModule(path: string, version: string, sources: readonly ExplainSource[]): Explanation {
  if (typeof path !== 'string' || typeof version !== 'string' || !Array.isArray(sources))
    throw new TypeError('explainModule(path, version, sources)');
  const ok = (s: ExplainSource) => s.status === 'ok';
  const db = sources.find((s) => s.kind === 'sumdb');
  // Conflicting go.sum lines come as several sources: the one that disagrees with the database is explained.
  const sums = sources.filter((s) => s.kind === 'gosum' && ok(s));
  const proxies = sources.filter((s) => s.kind === 'proxy' && ok(s));
  const caches = sources.filter((s) => s.kind === 'cache' && ok(s));
  const vcs = sources.find((s) => s.kind === 'vcs' && ok(s));
  const restsOn = sources.filter(ok).map((s) => `${s.kind} ${s.name}`);
  const comparisons: Comparison[] = [];
  const done = (verdict: Verdict, summary: string, evidence: string[], remedy: string): Explanation => ({
    schema: 'gosumdb/explain',
    version: 1,
    module: { path, version },
    verdict,
    summary,
    evidence,
    remedy,
    restsOn,
    sources,
    comparisons,
  });
  const mod = `${path}@${version}`;
  if (db === undefined || db.status === 'unreachable' || db.status === 'error') {
    return done(
      'unknown',
      `the checksum database could not answer for ${mod}, so no source can be trusted as the reference`,
      [db ? `database ${db.name}: ${db.status}${db.error ? `: ${db.error}` : ''}` : 'no checksum database (GOSUMDB=off?)'],
      'Retry when the checksum database can be reached (see --timeout, --sumdb); never trust a hash it has not proved.',
    );
  }
  if (db.status === 'not-found') {
    return done(
      'not-published',
      `the checksum database does not know ${mod}`,
      [
        `database ${db.name}: not found`,
        ...sources.filter((s) => s.kind !== 'sumdb' && ok(s) && s.hash).map((s) => `${s.kind} ${s.name}: ${s.hash}`),
      ],
      `If ${path} is private, list it in GOPRIVATE (or GONOSUMDB) so that the go command does not ask the ` +
        `database; otherwise the version was never published: its tag was deleted or never pushed, or it does not exist.`,
    );
  }
  const D = db.hash;
  const Dm = db.goModHash;
  const gs = sums.find((s) => (s.hash !== undefined && s.hash !== D) || (s.goModHash !== undefined && s.goModHash !== Dm)) ?? sums[0];
  const reference = [...proxies, ...caches, ...(vcs ? [vcs] : [])].find((s) => s.hash === D && s.files !== undefined);
  const compare = (s: ExplainSource): readonly FileChange[] | undefined => {
    if (!reference || !s.files || s === reference) return undefined;
    const changes = compareFiles(reference.files!, s.files);
    comparisons.push({ from: `${reference.kind} ${reference.name}`, to: `${s.kind} ${s.name}`, changes });
    return changes;
  };
  const onlyLineEndings = (changes: readonly FileChange[] | undefined) =>
    changes !== undefined && changes.length > 0 && changes.every((c) => c.change === 'changed' && c.lineEndingsOnly === true);
  const agree = [
    `database ${db.name}: ${short(D)}`,
    ...proxies.filter((p) => p.hash === D).map((p) => `proxy ${p.name}: ${short(p.hash)}`),
  ];

  const lying = proxies.filter((p) => (p.hash !== undefined && p.hash !== D) || (p.goModHash !== undefined && p.goModHash !== Dm));
  if (lying.length > 0) {
    const p = lying[0]!;
    const changes = compare(p);
    if (onlyLineEndings(changes)) {
      return done(
        'line-endings',
        `proxy ${p.name} serves ${mod} with other line endings than the database's content`,
        [`database ${db.name}: ${short(D)}`, `proxy ${p.name}: ${short(p.hash)}`, 'every difference is CRLF against LF'],
        'Do not use this proxy for this module: its copy was made with line-ending conversion (core.autocrlf). ' +
          'Use a proxy whose content the database proves.',
      );
    }
    return done(
      'proxy-differs',
      `proxy ${p.name} serves ${mod} with content the checksum database does not vouch for`,
      [
        `database ${db.name}: ${short(D)} /go.mod ${short(Dm)}`,
        ...lying.map((x) => `proxy ${x.name}: ${short(x.hash)} /go.mod ${short(x.goModHash)}`),
      ],
      `Do not use ${p.name}: the go command refuses its download (SECURITY ERROR: checksum mismatch). Report it to the proxy's operator.`,
    );
  }
  for (const c of caches) {
    const bad =
      (c.hash !== undefined && (c.hash !== c.ziphash || c.hash !== D)) ||
      (c.dirHash !== undefined && c.dirHash !== D) ||
      (c.ziphash !== undefined && c.ziphash !== D) ||
      (c.goModHash !== undefined && c.goModHash !== Dm);
    if (!bad) continue;
    const changes = compare(c);
    return done(
      'cache-modified',
      `the module cache's copy of ${mod} differs from what the checksum database proves`,
      [
        `database ${db.name}: ${short(D)} /go.mod ${short(Dm)}`,
        `cache .ziphash: ${short(c.ziphash)}`,
        `cache zip: ${short(c.hash)}`,
        `cache directory: ${short(c.dirHash)}`,
        `cache .mod: ${short(c.goModHash)}`,
        ...(onlyLineEndings(changes) ? ['every difference is CRLF against LF'] : []),
      ],
      `Delete the cached copy (go clean -modcache, or remove ${c.name}) and download again; never edit files in the module cache.`,
    );
  }
  if (gs) {
    if ((gs.hash === undefined || gs.hash === D) && gs.goModHash !== undefined && gs.goModHash !== Dm) {
      return done(
        'gomod-only',
        `only go.sum's /go.mod line for ${mod} differs from the checksum database`,
        [`go.sum${gs.where ? ` (${gs.where})` : ''}: /go.mod ${gs.goModHash}`, `database ${db.name}: /go.mod ${short(Dm)}`],
        `Restore the line from the database: ${path} ${version}/go.mod ${short(Dm)}`,
      );
    }
    if (gs.hash !== undefined && gs.hash !== D) {
      // A variant counts only when converting line endings changes the hash.
      const variants = [reference, vcs].flatMap((s) => (s?.variants ? [s.variants.crlf, s.variants.lf].filter((v) => v !== s.hash) : []));
      const ev = [`go.sum${gs.where ? ` (${gs.where})` : ''}: ${gs.hash}`, ...agree];
      if (vcs && vcs.hash === gs.hash) {
        compare(vcs);
        return done(
          'retagged',
          `go.sum's hash for ${mod} is what the origin repository builds now, not what was published`,
          [...ev, `origin ${vcs.name} at ${short(vcs.commit)}: ${short(vcs.hash)}`, ...originFacts(proxies, vcs)],
          `The tag was moved after ${version} was published. Keep the database's line (${path} ${version} ` +
            `${short(D)}): proxies serve the published content; ask the maintainers to publish a new version instead of moving tags.`,
        );
      }
      if (variants.includes(gs.hash)) {
        return done(
          'line-endings',
          `go.sum's hash for ${mod} is the database's content with other line endings`,
          [...ev, "the same files with CRLF/LF line endings converted hash to go.sum's value"],
          `A copy made with line-ending conversion (core.autocrlf) was hashed. Restore the line from the ` +
            `database: ${path} ${version} ${short(D)}`,
        );
      }
      if (vcs) compare(vcs);
      return done(
        'gosum-edited',
        `go.sum's hash for ${mod} matches no source: the checksum ` +
          `database${proxies.length > 0 ? ', the proxies' : ''}${vcs && vcs.hash === D ? ' and the origin repository' : ''} ` +
          `agree on another`,
        [...ev, ...(vcs ? [`origin ${vcs.name} at ${short(vcs.commit)}: ${short(vcs.hash)}`] : [])],
        `Restore the line from the database: ${path} ${version} ${short(D)} (or delete ${path}'s lines from ` +
          `go.sum and run go mod download ${mod}).`,
      );
    }
  }
  if (vcs && vcs.hash !== D) {
    const changes = compare(vcs);
    if (onlyLineEndings(changes)) {
      return done(
        'line-endings',
        `the origin repository builds ${mod} with other line endings than the published content`,
        [...agree, `origin ${vcs.name}: ${short(vcs.hash)}`, 'every difference is CRLF against LF'],
        "Nothing to fix in go.sum; the repository's line-ending attributes changed what git archive produces.",
      );
    }
    return done(
      'retagged',
      `the origin repository's ${originRef(proxies) ?? 'tag'} for ${mod} now builds something else than what was published`,
      [...agree, `origin ${vcs.name} at ${short(vcs.commit)}: ${short(vcs.hash)}`, ...originFacts(proxies, vcs)],
      `Keep go.sum as the database says; a direct fetch (GOPROXY=direct, GONOSUMDB) would now fail. Ask the ` +
        `maintainers to publish a new version instead of moving tags.`,
    );
  }
  const others = sources.filter(
    (s) => ok(s) && s.kind !== 'sumdb' && ((s.hash !== undefined && s.hash !== D) || (s.goModHash !== undefined && s.goModHash !== Dm)),
  );
  if (others.length > 0) {
    return done(
      'unknown',
      `the sources disagree about ${mod} in a way none of the verdicts covers`,
      sources.filter(ok).map((s) => `${s.kind} ${s.name}: ${short(s.hash)} /go.mod ${short(s.goModHash)}`),
      'Compare the sources below.',
    );
  }
  return done('consistent', `every source that answered agrees on ${mod}`, agree, 'Nothing to do.');
}

function originRef(proxies: readonly ExplainSource[]): string | undefined {
  return proxies.find((p) => p.origin?.ref)?.origin?.ref;
}

function originFacts(proxies: readonly ExplainSource[], vcs: ExplainSource): string[] {
  const o = proxies.find((p) => p.origin?.hash)?.origin;
  const out: string[] = [];
  if (o?.hash) out.push(`published commit (proxy's Origin): ${o.hash}${o.ref ? ` (${o.ref})` : ''}`);
  if (vcs.commit) out.push(`the tag's commit now: ${vcs.commit}`);
  return out;
}

/** Gatherer answers for one source; it must stop when `signal` aborts. */
export type Gatherer = (signal: AbortSignal) => Promise<ExplainSource>;

/** GatherOptions bound each source: `timeoutMs` (default 60000), and an outer `signal`. */
export type GatherOptions = { readonly timeoutMs?: number; readonly signal?: AbortSignal };

/**
 * gatherSource runs one gatherer with a deadline: an error or a missed deadline becomes a source
 * that says so (`error` / `unreachable`), never an exception and never a hang.
 *
 * @example
 * ```ts
 * import { gatherSource } from 'gosumdb/gosum';
 * const s = await gatherSource('proxy', 'https://proxy.example', () => new Promise(() => {}), { timeoutMs: 10 });
 * console.log(s.status); // unreachable
 * ```
 */
export async function gatherSource(kind: SourceKind, name: string, gather: Gatherer, options: GatherOptions = {}): Promise<ExplainSource> {
  const ac = new AbortController();
  const timeoutMs = options.timeoutMs ?? 60_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onAbort = () => ac.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const deadline = new Promise<ExplainSource>((resolve) => {
    timer = setTimeout(() => {
      ac.abort(new GosumdbError('ERR_DEADLINE', `no answer in ${timeoutMs} ms`));
      resolve({ kind, name, status: 'unreachable', error: `no answer in ${timeoutMs} ms` });
    }, timeoutMs);
  });
  try {
    return await Promise.race([
      gather(ac.signal).catch((e: unknown): ExplainSource => {
        const code = e instanceof GosumdbError ? e.code : undefined;
        const status: SourceStatus =
          code === 'ERR_NOT_FOUND' ? 'not-found' : code === 'ERR_UNREACHABLE' || code === 'ERR_DEADLINE' ? 'unreachable' : 'error';
        return { kind, name, status, error: errorMessage(e).slice(0, 300), ...(code ? { errorCode: code } : {}) };
      }),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * renderExplanation prints an {@link Explanation} for people: the verdict and why, each source
 * with its hashes (or why it did not answer), the file changes, and the remedy.
 *
 * @example
 * ```ts
 * import { explainModule, renderExplanation } from 'gosumdb/gosum';
 * const e = explainModule('example.com/m', 'v1.0.0', [{ kind: 'sumdb', name: 'sum.golang.org', status: 'not-found' }]);
 * console.log(renderExplanation(e).split('\n')[0]); // example.com/m@v1.0.0: not-published
 * ```
 */
export function renderExplanation(e: Explanation, options: { readonly diff?: boolean; readonly maxChanges?: number } = {}): string {
  const max = options.maxChanges ?? 50;
  const out: string[] = [`${e.module.path}@${e.module.version}: ${e.verdict}`, `  ${e.summary}`, '', 'sources:'];
  for (const s of e.sources) {
    const head = `  ${s.kind.padEnd(6)} ${printable(s.name)}${s.where ? ` (${printable(s.where)})` : ''}`;
    if (s.status !== 'ok') {
      out.push(`${head}: ${s.status}${s.error ? `: ${printable(s.error)}` : ''}`);
      continue;
    }
    out.push(head);
    if (s.hash) out.push(`           ${s.hash}`);
    if (s.goModHash) out.push(`           /go.mod ${s.goModHash}`);
    if (s.ziphash) out.push(`           .ziphash ${s.ziphash}`);
    if (s.dirHash) out.push(`           directory ${s.dirHash}`);
    if (s.origin)
      out.push(`           origin ${printable([s.origin.vcs, s.origin.url, s.origin.ref, s.origin.hash].filter(Boolean).join(' '))}`);
    if (s.commit) out.push(`           commit ${s.commit}`);
  }
  for (const c of e.comparisons) {
    if (c.changes.length === 0) continue;
    out.push('', `files, ${printable(c.from)} -> ${printable(c.to)}:`);
    for (const ch of c.changes.slice(0, max)) {
      const sym = ch.change === 'added' ? '+' : ch.change === 'missing' ? '-' : '~';
      const sizes =
        ch.change === 'changed'
          ? `${ch.from!.size} -> ${ch.to!.size} bytes, sha256 ${ch.from!.sha256.slice(0, 12)} -> ` +
            `${ch.to!.sha256.slice(0, 12)}${ch.lineEndingsOnly ? ' (line endings only)' : ''}`
          : `${(ch.to ?? ch.from)!.size} bytes`;
      out.push(`  ${sym} ${printable(ch.name)}  ${sizes}`);
      if (options.diff && ch.diff) out.push(...ch.diff.split('\n').map((l) => `      ${l}`));
    }
    if (c.changes.length > max) out.push(`  ... ${c.changes.length - max} more`);
  }
  out.push(
    '',
    'evidence:',
    ...e.evidence.map((l) => `  ${printable(l)}`),
    '',
    `remedy: ${e.remedy}`,
    `rests on: ${e.restsOn.map((r) => printable(r)).join(', ') || 'nothing'}`,
  );
  return out.join('\n') + '\n';
}
