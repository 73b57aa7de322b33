import { decodeUtf8 } from '../internal/bytes.js';
import { GosumdbError } from '../internal/errors.js';
import { NotFoundError } from '../client/errors.js';
import type { Handler } from './server.js';

/**
 * serverRemote connects a client straight to a server handler, without sockets: it returns the
 * `remote` of `gosumdb/client`'s `memoryOps` (a `ClientOps.readRemote`) answering from `handle`,
 * with the body of a 200 and the errors `gosumdb/client`'s HTTP transport throws for other
 * statuses (but no retries). Fast, deterministic tests of every server mode use it.
 *
 * @throws (from the returned function) NotFoundError `ERR_NOT_FOUND` on 404 or 410;
 *   GosumdbError `ERR_HTTP_STATUS` on any other non-200 status.
 * @example
 * ```ts
 * import { newTestDatabase, serverRemote } from 'gosumdb/server';
 * const db = newTestDatabase({ synthetic: 3 });
 * const readRemote = serverRemote(db.handle);
 * console.log(new TextDecoder().decode(await readRemote('/latest')).split('\n')[1]); // 3
 * ```
 */
export function serverRemote(handle: Handler): (path: string, signal?: AbortSignal) => Promise<Uint8Array> {
  if (typeof handle !== 'function') throw new TypeError('handle must be a function');
  return async (path, signal) => {
    const res = await handle(path, signal);
    if (res.status === 200) return res.body.slice();
    const text = (decodeUtf8(res.body) ?? '').trim();
    const message = `reading ${path}: ${res.status}${text === '' ? '' : ` ${text}`}`;
    if (res.status === 404 || res.status === 410) throw new NotFoundError(message);
    throw new GosumdbError('ERR_HTTP_STATUS', message);
  };
}
