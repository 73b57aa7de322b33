import { GosumdbError } from '../internal/errors.js';
import { checkFilePath } from '../module/index.js';
import { cleanPath } from '../dirhash/dir.js';
import { Collisions, foldKey, MAX_GO_MOD, MAX_LICENSE, type CheckedFiles, type FileError } from '../dirhash/checkzip.js';
import { MAX_ZIP_FILE } from '../dirhash/hashzip.js';
import type { FileContent } from '../dirhash/hash1.js';

/** FileKind is what Lstat says a file is: a regular file, a directory, a symbolic link, or anything else. */
export type FileKind = 'file' | 'dir' | 'symlink' | 'irregular';

/**
 * ModuleFile is one file offered for a module zip, Go's zip.File: its slash-separated path
 * relative to the module root, its kind and size as Lstat reports them (not followed through
 * links), and how to read it. `open` is called only for files that end up in the zip.
 */
export type ModuleFile = {
  readonly path: string;
  readonly kind: FileKind;
  readonly size: number;
  readonly open: () => FileContent | Promise<FileContent>;
};

/**
 * isVendoredPackage reports whether a file path is in a vendored package, with the x/mod rule
 * that module sums depend on: `vendor/` at the top or any `/vendor/` element, followed by a
 * further `/` (so `vendor/modules.txt` stays). For a nested `/vendor/`, Go measures the rest
 * from the wrong offset (golang.org/issue/31562); this keeps that bug, as every module sum does.
 *
 * @example
 * ```ts
 * import { isVendoredPackage } from 'gosumdb/zip';
 * console.log(isVendoredPackage('vendor/modules.txt'), isVendoredPackage('vendor/a/a.go')); // false true
 * ```
 */
export function isVendoredPackage(name: string): boolean {
  let i: number;
  if (name.startsWith('vendor/')) i = 'vendor/'.length;
  else if (name.includes('/vendor/')) i = '/vendor/'.length;
  else return false;
  return name.slice(i).includes('/');
}

function splitDir(p: string): string {
  return p.slice(0, p.lastIndexOf('/') + 1);
}

function checkList(files: readonly ModuleFile[]): void {
  if (!Array.isArray(files)) throw new TypeError('files must be an array of ModuleFile');
  for (const f of files) {
    if (f === null || typeof f !== 'object' || typeof f.path !== 'string' || typeof f.open !== 'function') {
      throw new TypeError('each file must be a ModuleFile { path, kind, size, open }');
    }
    if (!['file', 'dir', 'symlink', 'irregular'].includes(f.kind)) throw new TypeError(`file ${JSON.stringify(f.path)}: unknown kind`);
    if (!Number.isSafeInteger(f.size)) throw new TypeError(`file ${JSON.stringify(f.path)}: size must be a safe integer`);
  }
}

/** checkFilesKeep is {@link checkFiles} that also returns the valid files themselves, in order. */
export function checkFilesKeep(files: readonly ModuleFile[]): { cf: CheckedFiles; keep: ModuleFile[] } {
  checkList(files);
  const valid: string[] = [];
  const omitted: FileError[] = [];
  const invalid: FileError[] = [];
  const keep: ModuleFile[] = [];
  const reported = new Set<string>();
  // Go reports each path once: a second file with an already reported path is dropped silently.
  const add = (path: string, isOmitted: boolean, err: string) => {
    if (reported.has(path)) return;
    reported.add(path);
    (isOmitted ? omitted : invalid).push({ path, err });
  };
  const goModDirs = new Set<string>();
  const goModFold = foldKey('go.mod');
  for (const f of files) {
    const base = f.path.slice(f.path.lastIndexOf('/') + 1);
    if (f.kind === 'file' && foldKey(base) === goModFold) goModDirs.add(splitDir(f.path));
  }
  const inSubmodule = (p: string) => {
    for (let dir = splitDir(p); dir !== ''; dir = splitDir(dir.slice(0, -1))) if (goModDirs.has(dir)) return true;
    return false;
  };
  const collisions = new Collisions();
  let room = MAX_ZIP_FILE;
  let sizeError: string | undefined;
  for (const f of files) {
    const p = f.path;
    if (cleanPath(p) !== p) {
      add(p, false, 'file path is not clean');
      continue;
    }
    if (p.startsWith('/')) {
      add(p, false, 'file path is not relative');
      continue;
    }
    if (isVendoredPackage(p)) {
      add(p, true, 'file is in vendor directory');
      continue;
    }
    if (inSubmodule(p)) {
      add(p, true, 'file is in another module');
      continue;
    }
    if (p === '.hg_archival.txt') {
      add(p, true, "file is inserted by 'hg archive' and is always omitted");
      continue;
    }
    try {
      checkFilePath(p);
    } catch (e) {
      if (!(e instanceof GosumdbError)) throw e;
      add(p, false, e.message);
      continue;
    }
    if (p.toLowerCase() === 'go.mod' && p !== 'go.mod') {
      add(p, false, 'go.mod files must have lowercase names');
      continue;
    }
    const collision = collisions.check(p, f.kind === 'dir');
    if (collision !== undefined) {
      add(p, false, collision);
      continue;
    }
    if (f.kind === 'symlink') {
      add(p, true, 'file is a symbolic link');
      continue;
    }
    if (f.kind !== 'file') {
      add(p, true, 'not a regular file');
      continue;
    }
    if (f.size >= 0 && f.size <= room) room -= f.size;
    else sizeError ??= `module source tree too large (max size is ${MAX_ZIP_FILE} bytes)`;
    if (p === 'go.mod' && f.size > MAX_GO_MOD) {
      add(p, false, `go.mod file too large (max size is ${MAX_GO_MOD} bytes)`);
      continue;
    }
    if (p === 'LICENSE' && f.size > MAX_LICENSE) {
      add(p, false, `LICENSE file too large (max size is ${MAX_LICENSE} bytes)`);
      continue;
    }
    valid.push(p);
    keep.push(f);
  }
  const cf = sizeError === undefined ? { valid, omitted, invalid } : { valid, omitted, invalid, sizeError };
  return { cf, keep };
}

/**
 * checkFiles sorts a list of files into those a module zip holds, those it leaves out and those
 * that make the zip invalid, with Go's reasons, as golang.org/x/mod/zip's CheckFiles: paths must
 * be clean, relative and valid module file paths; files in vendored packages, in nested modules
 * (a directory holding a regular file whose name folds to `go.mod`), `.hg_archival.txt`,
 * symbolic links and other irregular files are omitted; case-fold collisions, a path both file
 * and directory, a repeated file, a `go.mod` not in lower case, go.mod or LICENSE over 16 MiB are
 * invalid; content over 500 MiB in all is a size error. No file is opened.
 *
 * @example
 * ```ts
 * import { checkFiles, type ModuleFile } from 'gosumdb/zip';
 * const file = (path: string): ModuleFile => ({ path, kind: 'file', size: 1, open: () => new Uint8Array(1) });
 * const cf = checkFiles([file('go.mod'), file('vendor/a/a.go'), file('A.go'), file('a.go')]);
 * console.log(cf.valid, cf.omitted.length, cf.invalid[0]?.err);
 * // [ 'go.mod', 'A.go' ] 1 case-insensitive file name collision: "A.go" and "a.go"
 * ```
 */
export function checkFiles(files: readonly ModuleFile[]): CheckedFiles {
  return checkFilesKeep(files).cf;
}
