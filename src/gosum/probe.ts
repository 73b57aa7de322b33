// The network half of `doctor`: walks GOPROXY to the checksum database as the go command does
// and reports each step as a DoctorFinding. The pure diagnosis is in doctor.ts.

import { NotFoundError, type SumDBConfig, type Transport } from '../client/index.js';
import { joinURL } from '../client/remote.js';
import { errorMessage } from '../internal/errors.js';
import type { DoctorFinding } from './doctor.js';

/**
 * probeSumDBAccess checks, over the network, the way the go command would reach the checksum
 * database described by `db` (from gosumdb/client's `resolveSumDB`): each GOPROXY entry is asked
 * for `<proxy>/sumdb/<name>/supported` in order, as the go command does, and then the database
 * itself (or the GOSUMDB URL) for `/latest`. Each step becomes a finding: which proxy serves the
 * database, which do not, which fail, and an error if the database cannot be reached at all.
 * `get` is any gosumdb/client `Transport` (`newTransport`, or gosumdb/node's `httpTransport`).
 *
 * @throws the abort reason when `signal` aborts; transport errors become findings.
 * @example
 * ```ts
 * import { probeSumDBAccess } from 'gosumdb/gosum';
 * import { NotFoundError, resolveSumDB } from 'gosumdb/client';
 * const db = resolveSumDB({ GOPROXY: 'https://proxy.example.com,direct' });
 * // A stand-in transport: the proxy does not serve the database, the database answers.
 * const get = async (url: string) => {
 *   if (url.startsWith('https://proxy.example.com/')) throw new NotFoundError(`${url}: 404 Not Found`);
 *   return new TextEncoder().encode('go.sum database tree\n1\n...');
 * };
 * for (const f of await probeSumDBAccess(db, get)) console.log(f.level, f.code);
 * // info sumdb-not-proxied
 * // info sumdb-reachable
 * ```
 */
export async function probeSumDBAccess(db: SumDBConfig, get: Transport, signal?: AbortSignal): Promise<DoctorFinding[]> {
  if (db === null || typeof db !== 'object' || typeof get !== 'function')
    throw new TypeError('probeSumDBAccess needs a SumDBConfig and a transport');
  if (db.off) return [];
  const out: DoctorFinding[] = [];
  const aborted = (e: unknown) => signal?.aborted && e === signal.reason;
  let base = db.url;
  if (base === undefined) {
    // As the go command's TryProxies ranks errors: a proxy's failure (other than not found) is
    // the answer unless a later entry serves the database or "direct" is reached.
    let failed: string | undefined;
    for (const p of db.proxies) {
      if (p.url === 'direct') failed = undefined;
      if (p.url === 'direct' || p.url === 'off') break;
      const url = joinURL(p.url, `sumdb/${db.name}/supported`);
      try {
        await get(url, signal);
        out.push({
          level: 'info',
          code: 'sumdb-via-proxy',
          variable: 'GOPROXY',
          message: `${p.url} serves ${db.name} (${url} answered); the go command reads the database through it`,
          remedy: '',
        });
        base = joinURL(p.url, `sumdb/${db.name}`);
        break;
      } catch (e) {
        if (aborted(e)) throw e;
        if (e instanceof NotFoundError) {
          out.push({
            level: 'info',
            code: 'sumdb-not-proxied',
            variable: 'GOPROXY',
            message: `${p.url} does not serve ${db.name} (${url} is not found); the go command tries the next entry`,
            remedy: '',
          });
          continue;
        }
        out.push({
          level: 'warning',
          code: 'proxy-unreachable',
          variable: 'GOPROXY',
          message: `${url} failed: ${errorMessage(e)}`,
          remedy: p.fallBackOnError
            ? 'the go command moves on after "|"; fix or remove this entry'
            : 'the go command stops here (the entry is followed by ","): fix the proxy, or separate it with "|" to fall through on errors',
        });
        if (!p.fallBackOnError) return out;
        failed = `${url} failed: ${errorMessage(e)}`;
      }
    }
    if (base === undefined && failed !== undefined) {
      out.push({
        level: 'error',
        code: 'sumdb-unreachable',
        variable: 'GOPROXY',
        message: `${db.name} cannot be reached: no later GOPROXY entry serves it and none is "direct", so the go command reports ${failed}`,
        remedy: `fix that proxy, or end GOPROXY with "direct" to reach ${db.direct} when the proxies fail`,
      });
      return out;
    }
    base ??= db.direct;
  }
  const latest = joinURL(base, 'latest');
  try {
    await get(latest, signal);
    out.push({ level: 'info', code: 'sumdb-reachable', variable: 'GOSUMDB', message: `${latest} answered`, remedy: '' });
  } catch (e) {
    if (aborted(e)) throw e;
    out.push({
      level: 'error',
      code: 'sumdb-unreachable',
      variable: 'GOSUMDB',
      message:
        `${db.name} cannot be reached at ${latest}: ${errorMessage(e)}; every go command that needs a ` +
        `checksum not yet in go.sum will fail`,
      remedy: `allow ${base} through your network, or use a GOPROXY that serves /sumdb/${db.name}/`,
    });
  }
  return out;
}
