import { encodeBase64, utf8 } from '../internal/bytes.js';
import { pow2, shr } from '../internal/num.js';
import {
  checkRecord,
  checkTree,
  formatHash,
  formatRecord,
  formatTree,
  hashFromTile,
  newTiles,
  nodeHash,
  parseHash,
  parseRecord,
  parseTilePath,
  parseTree,
  proveRecord,
  proveTree,
  readTileData,
  recordHash,
  splitStoredHashIndex,
  storedHashCount,
  storedHashes,
  storedHashIndex,
  tileForIndex,
  tileHashReader,
  tilePath,
  treeHash,
  type Hash,
  type HashReader,
  type Tile,
  type TileReader,
} from '../tlog/index.js';
import { vectorBytes as bytes, type Runners } from './run.js';

// The logs in vectors/tlog follow one recipe instead of embedding records: record i is "record <i>\n".
const RECIPE = 'record %d\n';

const recipeLog: Hash[] = [];
let recipeRecords = 0;

const recipeReader: HashReader = { readHashes: async (ix) => ix.map((i) => recipeLog[i]!) };

async function recipe(input: { recipe: string }, records: number): Promise<HashReader> {
  if (input.recipe !== RECIPE) throw new Error(`unknown record recipe ${JSON.stringify(input.recipe)}`);
  for (; recipeRecords < records; recipeRecords++) {
    recipeLog.push(...(await storedHashes(recipeRecords, utf8(`record ${recipeRecords}\n`), recipeReader)));
  }
  return recipeReader;
}

const hashes = (list: readonly string[]) => list.map(parseHash);
const formatHashes = (list: readonly Hash[]) => list.map(formatHash);

// newTiles answers as newer x/mod does; the generated cases hold x/mod v0.7.0's answers, which
// also list every intermediate width of each level's partial tile (from the old tree's width
// up) and re-list a level's partial tile when the level did not change. v070View rebuilds that
// longer list from our answer, so each of our tiles is still checked against Go's.
function v070View(h: number, oldSize: number, newSize: number, ours: readonly Tile[]): Tile[] {
  const out: Tile[] = [];
  let used = 0;
  for (let l = 0; shr(newSize, h * l) > 0; l++) {
    const oldN = shr(oldSize, h * l);
    const newN = shr(newSize, h * l);
    const level = ours.filter((t) => t.l === l);
    used += level.length;
    const partial = level.filter((t) => t.w < pow2(h));
    out.push(...level.filter((t) => t.w === pow2(h)));
    const n = shr(newN, h);
    const minW = oldN > n * pow2(h) ? oldN - n * pow2(h) : 1;
    if (partial.length > 0) {
      for (const p of partial) for (let w = minW; w <= p.w; w++) out.push({ ...p, w });
    } else if (oldN === newN && newN - n * pow2(h) > 0) {
      out.push({ h, l, n, w: newN - n * pow2(h) });
    }
  }
  if (used !== ours.length) out.push(...ours.filter((t) => t.l < 0 || shr(newSize, h * t.l) === 0));
  return out;
}

/** tlogRunners runs the vectors/tlog topics (shapes documented in vectors/README.md). */
export const tlogRunners: Runners = {
  'tlog/hashes': (input: { fn: string; data?: string; left?: string; right?: string; s?: string }) => {
    switch (input.fn) {
      case 'recordHash':
        return formatHash(recordHash(bytes(input.data!)));
      case 'nodeHash':
        return formatHash(nodeHash(parseHash(input.left!), parseHash(input.right!)));
      case 'parseHash':
        return formatHash(parseHash(input.s!));
    }
    throw new Error(`unknown fn ${input.fn}`);
  },
  'tlog/treehash': async (input: { n: number; recipe: string }) => formatHash(await treeHash(input.n, await recipe(input, input.n))),
  'tlog/storedhash': (input: { fn: string; level: number; n: number; index: number }) => {
    switch (input.fn) {
      case 'storedHashIndex':
        return storedHashIndex(input.level, input.n);
      case 'splitStoredHashIndex':
        return splitStoredHashIndex(input.index);
      case 'storedHashCount':
        return storedHashCount(input.n);
    }
    throw new Error(`unknown fn ${input.fn}`);
  },
  'tlog/proofs': async (input: { fn: string; t: number; n: number; recipe: string; proof: string[]; th: string; h: string }) => {
    switch (input.fn) {
      case 'proveRecord':
        return formatHashes(await proveRecord(input.t, input.n, await recipe(input, input.t)));
      case 'proveTree':
        return formatHashes(await proveTree(input.t, input.n, await recipe(input, input.t)));
      case 'checkRecord':
        checkRecord(hashes(input.proof), input.t, parseHash(input.th), input.n, parseHash(input.h));
        return { ok: true };
      case 'checkTree':
        checkTree(hashes(input.proof), input.t, parseHash(input.th), input.n, parseHash(input.h));
        return { ok: true };
    }
    throw new Error(`unknown fn ${input.fn}`);
  },
  'tlog/formats': (input: { fn: string; n: number; hash: string; text: string; id: number; msg: string }) => {
    switch (input.fn) {
      case 'formatTree':
        return encodeBase64(formatTree({ n: input.n, hash: parseHash(input.hash) }));
      case 'parseTree': {
        const t = parseTree(bytes(input.text));
        return { n: t.n, hash: formatHash(t.hash) };
      }
      case 'formatRecord':
        return encodeBase64(formatRecord(input.id, bytes(input.text)));
      case 'parseRecord': {
        const r = parseRecord(bytes(input.msg));
        return { id: r.id, text: encodeBase64(r.text), rest: encodeBase64(r.rest) };
      }
    }
    throw new Error(`unknown fn ${input.fn}`);
  },
  'tlog/tilepaths': (input: { fn: string; tile: Tile; path: string }) => {
    switch (input.fn) {
      case 'tilePath':
        return tilePath(input.tile);
      case 'parseTilePath':
        return parseTilePath(input.path);
    }
    throw new Error(`unknown fn ${input.fn}`);
  },
  'tlog/newtiles': (input: { h: number; old: number; new: number; xmod: string }) => {
    const ours = newTiles(input.h, input.old, input.new);
    if (input.xmod === 'newer') return ours;
    if (input.xmod === 'v0.7.0') return v070View(input.h, input.old, input.new, ours);
    throw new Error(`unknown xmod ${input.xmod}`);
  },
  'tlog/tiles': async (input: { fn: string; h: number; index: number; tile: Tile; data: string; recipe: string }) => {
    switch (input.fn) {
      case 'tileForIndex':
        return tileForIndex(input.h, input.index);
      case 'readTileData': {
        const t = input.tile;
        const records = Math.min(Number.MAX_SAFE_INTEGER, (t.n * pow2(t.h) + t.w) * pow2(t.h * t.l));
        return encodeBase64(await readTileData(t, await recipe(input, records)));
      }
      case 'hashFromTile':
        return formatHash(hashFromTile(input.tile, bytes(input.data), input.index));
    }
    throw new Error(`unknown fn ${input.fn}`);
  },
  'tlog/tilereads': async (input: { h: number; n: number; indexes: number[]; recipe: string }) => {
    const log = await recipe(input, input.n);
    const reads: string[] = [];
    const tr: TileReader = {
      height: input.h,
      readTiles: (tiles) => {
        reads.push(...tiles.map(tilePath));
        return Promise.all(tiles.map((t) => readTileData(t, log)));
      },
      saveTiles: () => {},
    };
    const got = await tileHashReader({ n: input.n, hash: await treeHash(input.n, log) }, tr).readHashes(input.indexes);
    return { reads, hashes: formatHashes(got) };
  },
};
