// C2SP tlog-tiles (https://c2sp.org/tlog-tiles): the tile paths of static logs. Their hash tiles
// have the same layout as Go's, at height 8, so tileHashReader and verifyDataTile serve them too.
import { GosumdbError } from '../internal/errors.js';
import { checkIndex, pow2 } from '../internal/num.js';
import { indexPath, parseIndexPath, type Tile } from './tile.js';

const c2spRe = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*[0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/**
 * tlogTilesPath returns the C2SP tlog-tiles path of a tile of height 8: `tile/<L>/<N>[.p/<W>]`
 * for hash tiles and `tile/entries/<N>[.p/<W>]` for entry bundles (l = -1), with N in the same
 * 3-digit `x` grouping as Go's tile paths.
 *
 * @throws RangeError unless t.h is 8, t.l is in -1..63, t.n is a safe integer and 1 <= t.w <= 256.
 * @example
 * ```ts
 * import { tlogTilesPath } from 'gosumdb/tlog';
 * console.log(tlogTilesPath({ h: 8, l: -1, n: 1234067, w: 7 })); // tile/entries/x001/x234/067.p/7
 * ```
 */
export function tlogTilesPath(t: Tile): string {
  if (t.h !== 8) throw new RangeError('C2SP tlog-tiles have height 8');
  if (!Number.isInteger(t.l) || t.l < -1 || t.l > 63) throw new RangeError('tile level must be in -1..63');
  checkIndex(t.n, 'tile number');
  if (!Number.isInteger(t.w) || t.w < 1 || t.w > pow2(8)) throw new RangeError('tile width must be in 1..256');
  return `tile/${t.l === -1 ? 'entries' : t.l}/${indexPath(t.n)}${t.w === pow2(8) ? '' : `.p/${t.w}`}`;
}

/**
 * parseTlogTilesPath parses a C2SP tlog-tiles path, accepting exactly the paths
 * {@link tlogTilesPath} produces; the tile's height is 8 and entry bundles have l = -1.
 *
 * @throws GosumdbError `ERR_TILE_PATH_MALFORMED` (`malformed tile path "..."`).
 * @example
 * ```ts
 * import { parseTlogTilesPath } from 'gosumdb/tlog';
 * console.log(parseTlogTilesPath('tile/2/x001/002.p/9')); // { h: 8, l: 2, n: 1002, w: 9 }
 * ```
 */
export function parseTlogTilesPath(path: string): Tile {
  if (typeof path !== 'string') throw new TypeError('tile path must be a string');
  const bad = () => new GosumdbError('ERR_TILE_PATH_MALFORMED', `malformed tile path ${JSON.stringify(path)}`);
  const m = c2spRe.exec(path);
  if (!m) throw bad();
  const l = m[1] === 'entries' ? -1 : Number(m[1]);
  const w = m[3] === undefined ? pow2(8) : Number(m[3]);
  if (l > 63 || (m[3] !== undefined && w >= pow2(8))) throw bad();
  const n = parseIndexPath(m[2]!);
  if (n === undefined) throw bad();
  const t: Tile = { h: 8, l, n, w };
  if (tlogTilesPath(t) !== path) throw bad();
  return t;
}
