import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { SecurityError } from '../../client/index.js';
import { auditGoSum, parseGoSum } from '../../gosum/index.js';
import { goSumDBClient, modCacheLocalHash, verifyModCache } from '../../node/index.js';
import type { Command } from '../command.js';
import { EXIT, UsageError, type ExitCode } from '../exit.js';
import { databaseFlags, databaseUsage, goEnv, painter, parseCount, parseFlags } from '../flags.js';
import { auditExitCode, renderAuditText } from '../report.js';

/** `gosumdb verify-modcache [dir]`: `go mod verify` over the module cache, and optionally against go.sum and the database. */
export const verifyModCacheCommand: Command = {
  name: 'verify-modcache',
  summary: 'check the module cache as go mod verify does, and against go.sum and the database',
  usage: `Usage: gosumdb verify-modcache [flags] [dir]

Checks every module version in the go command's module cache (dir, default GOMODCACHE) as
go mod verify does: the downloaded zip and the extracted directory must hash to the .ziphash
recorded at download time. With --gosum, every line of that go.sum is also checked against the
checksum database and against the cached copy (which go mod verify never does): a cached copy
that differs is local-mismatch, a go.sum line the database contradicts is mismatch.

Flags:
  --gosum <file>      also audit this go.sum against the database and the cache
  --json              print the results as JSON
  --concurrency <n>   module versions hashed at once (default 4)
${databaseUsage}

Exit status:
  0  all verified
  1  a modified or unreadable cache entry, or a go.sum problem
  2  usage error, unreadable go.sum
  3  security error: the database served two inconsistent histories
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      ...databaseFlags,
      gosum: { type: 'string' },
      json: { type: 'boolean' },
      concurrency: { type: 'string' },
    });
    if (positionals.length > 1) throw new UsageError('at most one module cache directory');
    const concurrency = parseCount(values.concurrency, '--concurrency', 4);
    const env = await goEnv(io, values);
    const g = goSumDBClient({ env, offline: values.offline ?? false, writable: values['write-cache'] ?? false, securityError: (m) => io.stderr(`${m}\n`) });
    const dir = positionals[0] !== undefined ? resolve(io.cwd, positionals[0]) : g.dirs.gomodcache;
    const entries = await verifyModCache(dir, { concurrency });
    let code: ExitCode = entries.every((e) => e.status === 'ok') ? EXIT.ok : EXIT.problems;
    let audit;
    if (values.gosum !== undefined) {
      let text: Uint8Array;
      try {
        text = new Uint8Array(await readFile(resolve(io.cwd, values.gosum)));
      } catch (e) {
        throw new UsageError(`cannot read ${values.gosum}: ${(e as Error).message}`);
      }
      if (!g.client) throw new UsageError('--gosum needs a checksum database, but GOSUMDB=off');
      try {
        audit = await auditGoSum(parseGoSum(text, { filename: values.gosum }), { client: g.client, noSumDB: g.db.noSumDB, localHash: modCacheLocalHash(dir) });
      } catch (e) {
        if (e instanceof SecurityError) io.stderr(`gosumdb verify-modcache: ${e.message}: no answer from it can be trusted\n`);
        throw e;
      }
      if (auditExitCode(audit) !== EXIT.ok) code = EXIT.problems;
    }
    if (values.json) {
      io.stdout(`${JSON.stringify({ schemaVersion: 1, dir, exitCode: code, modules: entries, gosum: audit ?? null }, null, 2)}\n`);
      return code;
    }
    const paint = painter(io);
    for (const e of entries) {
      if (e.status === 'ok') continue;
      for (const p of e.problems) io.stdout(`${paint('red', e.status)}  ${p}\n`);
    }
    const bad = entries.filter((e) => e.status !== 'ok').length;
    io.stdout(`${entries.length} module versions in ${dir}: ${bad === 0 ? 'all verified' : `${bad} not verified`}\n`);
    if (audit) io.stdout(`\n${renderAuditText(audit, { all: false, paint, dbName: g.db.name })}`);
    return code;
  },
};
