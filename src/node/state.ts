// Where gosumdb remembers, between runs, the latest signed tree it verified for each database.

import { isAbsolute, join } from 'node:path';
import { GosumdbError } from '../internal/errors.js';

/**
 * stateDir returns the directory in which gosumdb remembers the latest verified signed tree of
 * each checksum database (`<dir>/<name>+<key hash>/latest`, the go command's file format), so that a
 * database that forks or rolls back between two runs is caught: `GOSUMDB_STATE` when set, else
 * `$XDG_STATE_HOME/gosumdb` (an absolute XDG_STATE_HOME, per the XDG base directory spec), else
 * `%LOCALAPPDATA%\gosumdb` on Windows, else `$HOME/.local/state/gosumdb`.
 *
 * @throws GosumdbError ERR_STATE_DIR_MISSING when none of these is set.
 * @example
 * ```ts
 * import { stateDir } from 'gosumdb/node';
 * console.log(stateDir({ HOME: '/home/me' })); // /home/me/.local/state/gosumdb
 * console.log(stateDir({ HOME: '/home/me', XDG_STATE_HOME: '/var/state' })); // /var/state/gosumdb
 * console.log(stateDir({ GOSUMDB_STATE: '/ci/cache/gosumdb' })); // /ci/cache/gosumdb
 * ```
 */
export function stateDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env === null || typeof env !== 'object') throw new TypeError('env must be an object');
  const own = env['GOSUMDB_STATE'] ?? '';
  if (own !== '') return own;
  const xdg = env['XDG_STATE_HOME'] ?? '';
  if (xdg !== '' && isAbsolute(xdg)) return join(xdg, 'gosumdb');
  const local = env['LOCALAPPDATA'] ?? '';
  if (process.platform === 'win32' && local !== '') return join(local, 'gosumdb');
  const home = env['HOME'] ?? '';
  if (home !== '') return join(home, '.local', 'state', 'gosumdb');
  throw new GosumdbError(
    'ERR_STATE_DIR_MISSING',
    'cannot locate the gosumdb state directory: set GOSUMDB_STATE, XDG_STATE_HOME or HOME, or give --state <dir>',
  );
}
