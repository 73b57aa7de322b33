import { hashZip } from '../dirhash/index.js';
import { readDirectory } from '../dirhash/zip.js';
import { Reader, toSource } from '../dirhash/source.js';
import {
  checkDir,
  checkFiles,
  createFromDir,
  createZip,
  type FileKind,
  type ModuleFile,
  type TreeEntry,
  type TreeSource,
} from '../zip/index.js';
import { vectorBytes as bytes, type Runners } from './run.js';

type FileInput = { path: string; kind: FileKind; size: number; contentB64?: string; target?: string };

function moduleFiles(files: readonly FileInput[]): ModuleFile[] {
  return files.map((f) => ({ path: f.path, kind: f.kind, size: f.size, open: () => bytes(f.contentB64 ?? '') }));
}

// A TreeSource over a vector's tree: each listed path is a file, directory, link or fifo; the
// directories above them exist.
function memoryTree(files: readonly FileInput[]): TreeSource {
  const byPath = new Map(files.map((f) => [f.path, f]));
  return {
    async list(rel) {
      const prefix = rel === '' ? '' : `${rel}/`;
      const seen = new Map<string, TreeEntry>();
      for (const f of files) {
        if (!f.path.startsWith(prefix)) continue;
        const rest = f.path.slice(prefix.length);
        const i = rest.indexOf('/');
        const name = i < 0 ? rest : rest.slice(0, i);
        if (seen.has(name)) continue;
        if (i >= 0) seen.set(name, { name, kind: 'dir', size: 0 });
        else if (f.kind === 'file') seen.set(name, { name, kind: 'file', size: bytes(f.contentB64 ?? '').length });
        else seen.set(name, { name, kind: f.kind, size: 0 });
      }
      return [...seen.values()];
    },
    open: (rel) => bytes(byPath.get(rel)!.contentB64 ?? ''),
  };
}

async function describe(zip: Uint8Array): Promise<{ hash: string; names: string[] }> {
  const entries = await readDirectory(new Reader(toSource(zip)));
  return { hash: await hashZip(zip), names: entries.map((e) => e.display) };
}

/** zipRunners runs `vectors/zip/*.json`: x/mod/zip's CheckFiles, Create and CreateFromDir. */
export const zipRunners: Runners = {
  'zip/checkfiles': (input: { files: FileInput[] }) => checkFiles(moduleFiles(input.files)),
  'zip/create': async (input: { path: string; version: string; files: FileInput[] }) =>
    describe(await createZip(input.path, input.version, moduleFiles(input.files))),
  'zip/createfromdir': async (input: { path: string; version: string; files: FileInput[] }) => {
    const tree = memoryTree(input.files);
    const zip = await createFromDir(tree, input.path, input.version);
    return { ...(await describe(zip)), checked: await checkDir(tree) };
  },
};
