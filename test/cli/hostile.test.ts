// Hostile bytes stay bounded and inert (issue 11 §5): what a server, a zip or a go.sum says reaches
// the report and the terminal printable and capped, and huge inputs are handled in linear time.
// Real gosumdb processes against servers on 127.0.0.1 where the finding involved them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gosumdb } from '../helpers/process.js';
import { inModule, moduleZip } from '../helpers/modules.js';
import { cli, world, type World } from './world.js';

const fixtures = join(import.meta.dirname, '../fixtures/gosum');
// Two module versions of a real go.sum: four lines, two lookups.
const four = readFileSync(join(fixtures, 'prometheus.go.sum'), 'utf8').split('\n').slice(0, 4).join('\n') + '\n';

// Terminal control: ESC ]0;title BEL sets the window title, ESC [2J clears the screen.
const escapes = '\u001b]0;pwned\u0007\u001b[2J';
const raw = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
// Just under the client's 8 MiB limit on one answer, with room for the answer itself.
const nearly8MiB = (8 << 20) - (16 << 10);

// The test world, its go.sum holding `gosum`, whose answers to paths containing `where` are rewritten by `change`.
async function hostile(gosum: string, where: string, change: (body: Uint8Array) => Uint8Array): Promise<World> {
  const w = await world({
    gosum,
    wrap: (handle) => async (path, signal) => {
      const res = await handle(path, signal);
      return path.includes(where) && res.status === 200 ? { ...res, body: change(res.body) } : res;
    },
  });
  writeFileSync(join(w.tmp, 'go.sum'), gosum);
  return w;
}

function append(extra: Uint8Array): (body: Uint8Array) => Uint8Array {
  return (body) => {
    const out = new Uint8Array(body.length + extra.length);
    out.set(body);
    out.set(extra, body.length);
    return out;
  };
}

test('8 MiB of junk with terminal escapes after each lookup answer: audit and lookup print a short, printable report', async () => {
  const junk = new TextEncoder().encode(escapes + 'A'.repeat(nearly8MiB));
  const h = await hostile(four, '/lookup/', append(junk));
  try {
    const text = await gosumdb(['audit'], { env: h.env, cwd: h.tmp });
    assert.equal(text.code, 1, text.stderr.toString());
    const out = text.stdout.toString();
    assert.match(out, /^4 go\.sum lines in go\.sum: 4 error$/m);
    // Each line's diagnosis quotes the server's note, cut: a few KiB in all, not 4 x 8 MiB.
    assert.ok(text.stdout.length < 64 << 10, `stdout is ${text.stdout.length} bytes`);
    assert.doesNotMatch(out, raw);
    assert.doesNotMatch(text.stderr.toString(), raw);
    assert.ok(out.includes('\\x1b]0;pwned\\a\\x1b[2J'), 'the escapes are shown, quoted');
    assert.match(out, /…\[cut: \d+ bytes in all\]/);

    const json = await gosumdb(['audit', '--json'], { env: h.env, cwd: h.tmp });
    assert.equal(json.code, 1);
    assert.ok(json.stdout.length < 64 << 10, `--json stdout is ${json.stdout.length} bytes`);
    assert.equal(JSON.parse(json.stdout.toString()).entries.length, 4);

    const [path, version] = four.split(' ') as [string, string];
    const lookup = await gosumdb(['lookup', `${path}@${version}`], { env: h.env, cwd: h.tmp });
    assert.equal(lookup.code, 1);
    assert.ok(lookup.stderr.length < 16 << 10, `lookup stderr is ${lookup.stderr.length} bytes`);
    assert.doesNotMatch(lookup.stderr.toString(), raw);
    assert.ok(lookup.stderr.toString().includes('\\x1b]0;pwned'));
  } finally {
    await h.close();
  }
});

test('a record id of nearly 8 MiB digits is refused without parsing it as a number', async () => {
  const h = await hostile(four, '/lookup/', (body) => {
    const nl = body.indexOf(0x0a);
    const id = new TextEncoder().encode('9'.repeat(nearly8MiB));
    const out = new Uint8Array(id.length + body.length - nl);
    out.set(id);
    out.set(body.subarray(nl), id.length);
    return out;
  });
  try {
    const r = await cli(['audit', '--json'], h.env, h.tmp);
    assert.equal(r.code, 1);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(
      doc.entries.map((e: { errorCode: string }) => e.errorCode),
      ['ERR_RECORD_MALFORMED', 'ERR_RECORD_MALFORMED', 'ERR_RECORD_MALFORMED', 'ERR_RECORD_MALFORMED'],
    );
  } finally {
    await h.close();
  }
});

test('hash --prefix prints a zip entry name with terminal escapes quoted', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gosumdb-hostile-'));
  try {
    const files = { ...inModule('example.com/m', 'v1.0.0', { 'go.mod': 'module example.com/m\n' }), [`evil${escapes}.go`]: 'package m\n' };
    writeFileSync(join(tmp, 'm.zip'), moduleZip(files));
    const r = await gosumdb(['hash', '--prefix', 'example.com/m@v1.0.0', 'm.zip'], { env: { PATH: '' }, cwd: tmp });
    assert.equal(r.code, 1, r.stderr.toString());
    const err = r.stderr.toString();
    assert.doesNotMatch(err, raw);
    assert.ok(err.includes('evil\\x1b]0;pwned\\a\\x1b[2J.go'), err);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('130 000 go.sum lines that are not ok (all skipped by GONOSUMDB): the text report is printed, no crash', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gosumdb-hostile-'));
  try {
    const n = 130_000;
    const hash = `h1:${'A'.repeat(43)}=`;
    writeFileSync(join(tmp, 'go.sum'), Array.from({ length: n }, (_, i) => `example.com/m${i} v1.0.0 ${hash}\n`).join(''));
    const env = { HOME: tmp, GOPATH: join(tmp, 'gopath'), GOPROXY: 'off', GONOSUMDB: 'example.com', NO_COLOR: '1', PATH: '' };
    // --all: one table row per line, 130 000 rows (without it they share one row and one diagnosis).
    const r = await gosumdb(['audit', '--all'], { env, cwd: tmp });
    const err = r.stderr.toString();
    assert.doesNotMatch(err, /Maximum call stack|RangeError|\n\s+at /);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${err}`);
    const out = r.stdout.toString();
    assert.match(out, new RegExp(`^${n} go\\.sum lines in go\\.sum: ${n} skipped`, 'm'));
    assert.match(out, /^skipped +example\.com\/m129999@v1\.0\.0 /m);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('100 000 identical go.sum lines: one lookup, every line ok', async () => {
  const line = four.split('\n')[0]!;
  const h = await hostile(four, '/nothing/', (b) => b);
  try {
    writeFileSync(join(h.tmp, 'go.sum'), `${line}\n`.repeat(100_000));
    const r = await cli(['audit', '--json'], h.env, h.tmp);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.summary.ok, 100_000);
    assert.equal(doc.findings.length, 99_999);
    assert.equal(h.db.stats().lookup, 1);
  } finally {
    await h.close();
  }
});

// A directory with `latest` as a FIFO or as /dev/zero, and a module version whose zip is a FIFO
// and whose .mod is /dev/zero, laid out as a GOPROXY for --zip.
function specialFiles(root: string, path: string, version: string): { fifoMirror: string; zeroMirror: string; zips: string } {
  const fifoMirror = join(root, 'fifo-mirror');
  const zeroMirror = join(root, 'zero-mirror');
  const zips = join(root, 'zips');
  const v = join(zips, path, '@v');
  for (const d of [fifoMirror, zeroMirror, v]) mkdirSync(d, { recursive: true });
  execFileSync('mkfifo', [join(fifoMirror, 'latest')]);
  symlinkSync('/dev/zero', join(zeroMirror, 'latest'));
  execFileSync('mkfifo', [join(v, `${version}.zip`)]);
  symlinkSync('/dev/zero', join(v, `${version}.mod`));
  return { fifoMirror, zeroMirror, zips };
}

test('file:// mirrors and --zip copies that are FIFOs or /dev/zero: errors at once, no hang, no unbounded read', async () => {
  const [path, version] = four.split(' ') as [string, string];
  const h = await hostile(four, '/nothing/', (b) => b);
  try {
    const s = specialFiles(h.tmp, path, version);
    for (const mirror of [s.fifoMirror, s.zeroMirror]) {
      const r = await gosumdb(['mirrors', pathToFileURL(mirror).href], { env: h.env, cwd: h.tmp, timeoutMs: 60_000 });
      assert.equal(r.signal, null, 'killed after the time limit: the read hung');
      assert.equal(r.code, 1, r.stderr.toString());
      assert.match(r.stdout.toString(), /not a regular file/);
    }
    const r = await gosumdb(['audit', '--json', '--zip', s.zips], { env: h.env, cwd: h.tmp, timeoutMs: 60_000 });
    assert.equal(r.signal, null, 'killed after the time limit: the read hung');
    assert.equal(r.code, 1, r.stderr.toString());
    const doc = JSON.parse(r.stdout.toString());
    const bad = doc.entries.filter((e: { version: string }) => e.version === version);
    assert.deepEqual(
      bad.map((e: { status: string; errorCode: string }) => `${e.status} ${e.errorCode}`),
      ['error ERR_FILE_READ', 'error ERR_FILE_READ'],
    );
    assert.match(bad[0].diagnosis, /FIFO/);
    assert.match(bad[1].diagnosis, /a device/);
  } finally {
    await h.close();
  }
});

test("the go command's sumdb latest as /dev/zero: audit ends at once with an error, not gigabytes of reading", async () => {
  const h = await hostile(four, '/nothing/', (b) => b);
  try {
    const dir = join(h.env.GOPATH!, 'pkg', 'sumdb', h.db.name);
    mkdirSync(dir, { recursive: true });
    symlinkSync('/dev/zero', join(dir, 'latest'));
    const r = await gosumdb(['audit'], { env: h.env, cwd: h.tmp, timeoutMs: 60_000 });
    assert.equal(r.signal, null);
    assert.notEqual(r.code, 0);
    assert.match(r.stdout.toString() + r.stderr.toString(), /latest: open .*: a device, not a regular file/);
  } finally {
    await h.close();
  }
});
