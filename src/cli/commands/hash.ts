import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { hashGoMod } from '../../dirhash/index.js';
import { hashDirOnDisk, hashModuleZipFile, hashZipFile } from '../../node/dirhash.js';
import { nodeSha256 } from '../../node/sha256.js';
import type { Command } from '../command.js';
import { EXIT, UsageError } from '../exit.js';
import { parseFlags } from '../flags.js';
import { formatError } from '../errors.js';
import { check } from '../../module/version.js';

// A module path and version the go command could name a module by, or a usage error (exit 2).
function checkModule(what: string, path: string, version: string): void {
  try {
    check(path, version);
  } catch (e) {
    throw new UsageError(`${what}: ${formatError(e)}`);
  }
}

function splitPrefix(prefix: string): { path: string; version: string } {
  const at = prefix.lastIndexOf('@');
  if (at <= 0 || at === prefix.length - 1) throw new UsageError(`--prefix must be path@version, got ${JSON.stringify(prefix)}`);
  const m = { path: prefix.slice(0, at), version: prefix.slice(at + 1) };
  checkModule('--prefix', m.path, m.version);
  return m;
}

/** `gosumdb hash <file.zip|dir|go.mod> [--prefix path@version]`: prints an h1 hash as go.sum records it. */
export const hashCommand: Command = {
  usage: `Usage: gosumdb hash [--prefix path@version] <file.zip|dir|go.mod>
       gosumdb hash --git <repo dir or URL> [--rev tag|commit] [--subdir D] <path>[@version]

Prints the h1: hash that go.sum records, computed as Go's golang.org/x/mod/sumdb/dirhash:
  file.zip  the hash of the zip's files (Go's HashZip); with --prefix the zip is first checked
            as the module zip of path@version (Go's zip.CheckZip: names, sizes, collisions)
  dir       the hash of the directory tree with its root named --prefix path@version, as
            the go command names it (Go's HashDir); --prefix is required
  go.mod    any other file: the hash written on go.sum's /go.mod lines

With --git, rebuilds the module from the repository as the go command does when it downloads
directly (git archive, eol attributes applied, export-ignore/export-subst not, the root LICENSE
for a subdirectory module, /vN major subdirectories) and prints the two go.sum lines it would
write. --rev defaults to the version's tag (D/version); without @version, --rev is named as the
go command names it (its tag, or a pseudo-version).

Examples:
  gosumdb hash --prefix golang.org/x/mod@v0.7.0 v0.7.0.zip
  gosumdb hash --git https://go.googlesource.com/mod golang.org/x/mod@v0.7.0

Exit status:
  0  hash printed
  1  the zip or tree is invalid (corrupt, bad checksum, not a valid module zip...)
  2  usage error or unreadable input
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      prefix: { type: 'string' },
      git: { type: 'string' },
      rev: { type: 'string' },
      subdir: { type: 'string' },
    });
    if (values.git !== undefined) {
      // Loaded here: the git rebuild (module, zip writer, child processes) is not needed to hash a file.
      const { gitVersionFor, hashGitModule } = await import('../../node/git.js');
      if (positionals.length !== 1) throw new UsageError('--git takes exactly one path@version');
      if (values.prefix !== undefined) throw new UsageError('--prefix does not apply to --git');
      const arg = positionals[0]!;
      const at = arg.lastIndexOf('@');
      const path = at < 0 ? arg : arg.slice(0, at);
      const repo = /^[a-z][a-z0-9+.-]*:\/\//i.test(values.git) ? values.git : resolve(io.cwd, values.git);
      const source = {
        repo,
        ...(values.rev === undefined ? {} : { rev: values.rev }),
        ...(values.subdir === undefined ? {} : { subdir: values.subdir }),
      };
      let version = at < 0 ? '' : arg.slice(at + 1);
      if (version === '') {
        if (values.rev === undefined) throw new UsageError('give path@version, or --rev to name a commit');
        version = (await gitVersionFor({ ...source, rev: values.rev }, path)).version;
      }
      checkModule(arg, path, version);
      const h = await hashGitModule(source, path, version);
      io.stdout(`${h.lines[0]}\n${h.lines[1]}\n`);
      return EXIT.ok;
    }
    if (values.rev !== undefined || values.subdir !== undefined) throw new UsageError('--rev and --subdir apply to --git');
    if (positionals.length !== 1) throw new UsageError('exactly one file or directory');
    const target = resolve(io.cwd, positionals[0]!);
    let st;
    try {
      st = await stat(target);
    } catch (e) {
      throw new UsageError(`cannot read ${positionals[0]}: ${(e as Error).message}`);
    }
    let h: string;
    if (st.isDirectory()) {
      // The hash names every file <prefix>/<name>: with no prefix it is no hash the go command writes.
      if (values.prefix === undefined)
        throw new UsageError(
          'a directory needs --prefix path@version: its files are hashed as <path@version>/<name>, as the go command does',
        );
      splitPrefix(values.prefix);
      h = await hashDirOnDisk(target, values.prefix);
    } else if (target.toLowerCase().endsWith('.zip')) {
      if (values.prefix === undefined) h = await hashZipFile(target);
      else {
        const { path, version } = splitPrefix(values.prefix);
        h = await hashModuleZipFile(target, path, version);
      }
    } else {
      if (values.prefix !== undefined) throw new UsageError('--prefix applies to a zip or a directory, not a go.mod file');
      let text: Uint8Array;
      try {
        text = new Uint8Array(await readFile(target));
      } catch (e) {
        throw new UsageError(`cannot read ${positionals[0]}: ${(e as Error).message}`);
      }
      h = await hashGoMod(text, { sha256: nodeSha256 });
    }
    io.stdout(`${h}\n`);
    return EXIT.ok;
  },
};
