import {
  checkZip,
  dirFiles,
  hash1,
  hashDir,
  hashGoMod,
  hashZip,
  type DirEntry,
  type DirSource,
  type ZipOptions,
} from '../dirhash/index.js';
import { vectorBytes as bytes, type Runners } from './run.js';

type FileInput = { name: string; contentB64: string };

// A DirSource over a vector's file list (paths relative to the root, slash-separated).
function memoryDir(files: readonly FileInput[]): DirSource {
  const content = new Map(files.map((f) => [f.name, bytes(f.contentB64)]));
  return {
    async list(rel) {
      const prefix = rel === '' ? '' : `${rel}/`;
      const seen = new Map<string, DirEntry>();
      for (const name of content.keys()) {
        if (!name.startsWith(prefix)) continue;
        const rest = name.slice(prefix.length);
        const i = rest.indexOf('/');
        const el = i < 0 ? rest : rest.slice(0, i);
        if (!seen.has(el)) seen.set(el, { name: el, isDir: i >= 0 });
      }
      return [...seen.values()];
    },
    open: (rel) => content.get(rel)!,
  };
}

/**
 * dirhashRunnersWith returns the dirhash vector runners using the given backends, so that tests
 * can run every vector through both the portable and the native SHA-256 / inflate.
 */
export function dirhashRunnersWith(options: ZipOptions): Runners {
  const hashOpts = options.sha256 ? { sha256: options.sha256 } : {};
  return {
    'dirhash/hash1': (input: { files: FileInput[] | null }) => {
      const files = input.files ?? [];
      const content = new Map(files.map((f) => [f.name, bytes(f.contentB64)]));
      return hash1(
        files.map((f) => f.name),
        (name) => content.get(name)!,
        hashOpts,
      );
    },
    'dirhash/gomod': (input: { contentB64: string }) => hashGoMod(bytes(input.contentB64), hashOpts),
    'dirhash/hashdir': async (input: { prefix: string; files: FileInput[] | null }) => {
      const src = memoryDir(input.files ?? []);
      return { hash: await hashDir(src, input.prefix, hashOpts), files: await dirFiles(src, input.prefix) };
    },
    'dirhash/hashzip': (input: { zipB64: string }) => hashZip(bytes(input.zipB64), options),
    'dirhash/checkzip': (input: { path: string; version: string; zipB64: string }) =>
      checkZip(bytes(input.zipB64), input.path, input.version),
  };
}

/** dirhashRunners runs `vectors/dirhash/*.json` with the portable backends. */
export const dirhashRunners: Runners = dirhashRunnersWith({});
