// `gosumdb verify-note`: text and signers on success, one distinct exit code per failure kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { runCli } from '../../src/cli/run.js';
import { cliMain } from '../helpers/process.js';
import {
  generateCosignatureV1Key,
  generateKey,
  newCosignatureV1Signer,
  newSigner,
  SUM_GOLANG_ORG_KEY,
  signNote,
} from '../../src/note/index.js';

const dir = mkdtempSync(join(tmpdir(), 'gosumdb-verify-note-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const fixtures = JSON.parse(readFileSync(resolve(import.meta.dirname, 'fixtures/sum-golang-org.json'), 'utf8')) as {
  fixtures: { name: string; kind: string; body: string }[];
};
const real = fixtures.fixtures.find((f) => f.name === 'trillian-examples-addrwitness-15081221')!.body;

async function run(args: string[], content?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  if (content !== undefined) writeFileSync(join(dir, 'note'), content);
  const code = await runCli(['verify-note', ...args], {
    stdout: (s) => {
      out += s;
    },
    stderr: (s) => (err += s),
    env: {},
    cwd: dir,
    isTTY: false,
  });
  return { code, out, err };
}

test('a real sum.golang.org tree head verifies: text on stdout, signers on stderr, exit 0', async () => {
  const r = await run(['--key', SUM_GOLANG_ORG_KEY, 'note'], real);
  assert.equal(r.code, 0);
  assert.equal(r.out, 'go.sum database tree\n15081221\nBoMMe1wd25Tco0mYGROkyqxHZWx+hcSCtMV315Lu6Lg=\n');
  assert.match(r.err, /verified: sum\.golang\.org\+033de0ae\n/);
  assert.match(r.err, /ignored, unknown key: test\.example\.com\+/);
});

test('distinct exit codes: 1 no known signer, 2 malformed, 3 invalid signature', async () => {
  const other = generateKey('example.com').vkey;
  assert.equal((await run(['--key', other, 'note'], real)).code, 1);
  assert.equal((await run(['--key', SUM_GOLANG_ORG_KEY, 'note'], real.slice(0, -1))).code, 2);
  const forged = await run(['--key', SUM_GOLANG_ORG_KEY, 'note'], real.replace('15081221', '15081222'));
  assert.equal(forged.code, 3);
  assert.equal(forged.out, '');
  assert.match(forged.err, /invalid signature for key sum\.golang\.org\+033de0ae/);
});

test('usage errors and malformed keys exit 2', async () => {
  assert.equal((await run(['note'], real)).code, 2);
  assert.equal((await run(['--key', SUM_GOLANG_ORG_KEY], real)).code, 2);
  assert.equal((await run(['--key', 'sum.golang.org+033de0ae+AAAA', 'note'], real)).code, 2);
  assert.equal((await run(['--key', SUM_GOLANG_ORG_KEY, 'missing-file'])).code, 2);
});

test('the same key given twice is not ambiguous; cosigner keys are accepted', async () => {
  assert.equal((await run(['--key', SUM_GOLANG_ORG_KEY, '--key', SUM_GOLANG_ORG_KEY, 'note'], real)).code, 0);
  const w = generateCosignatureV1Key('witness.example.com/w');
  const cosigned = new TextDecoder().decode(
    signNote(
      { text: 'example.com/log\n1\nAAAA\n' },
      newCosignatureV1Signer(w.skey, () => 1700000000),
    ),
  );
  const r = await run(['--key', w.vkey, 'note'], cosigned);
  assert.equal(r.code, 0);
  assert.match(r.err, /verified: witness\.example\.com\/w\+/);
});

test('--witness/--quorum: the log key plus a quorum of witnesses, with cosignature times', async () => {
  const log = generateKey('example.com/log');
  const w1 = generateCosignatureV1Key('witness.example.com/w1');
  const w2 = generateCosignatureV1Key('witness.example.com/w2');
  const text = 'example.com/log\n1\nAAAA\n';
  const msg = new TextDecoder().decode(
    signNote(
      { text },
      newSigner(log.skey),
      newCosignatureV1Signer(w1.skey, () => 1700000000),
    ),
  );
  const ok = await run(['--key', log.vkey, '--witness', w1.vkey, '--witness', w2.vkey, '--quorum', '1', 'note'], msg);
  assert.equal(ok.code, 0);
  assert.equal(ok.out, text);
  assert.match(ok.err, /witness: witness\.example\.com\/w1\+[0-9a-f]{8} at 1700000000 \(2023-11-14T22:13:20\.000Z\)\n/);
  assert.equal((await run(['--key', log.vkey, '--witness', w1.vkey, '--witness', w2.vkey, 'note'], msg)).code, 1);
  assert.equal((await run(['--key', log.vkey, '--witness', w1.vkey, '--quorum', '2', 'note'], msg)).code, 2);
  assert.equal((await run(['--key', log.vkey, '--quorum', '1', 'note'], msg)).code, 2);
  assert.equal((await run(['--key', log.vkey, '--key', SUM_GOLANG_ORG_KEY, '--witness', w1.vkey, 'note'], msg)).code, 2);
  const other = generateKey('example.com/log');
  assert.equal((await run(['--key', other.vkey, '--witness', w1.vkey, 'note'], msg)).code, 1);
});

test('reads the note from standard input with -', () => {
  const r = spawnSync(process.execPath, [cliMain(), 'verify-note', '--key', SUM_GOLANG_ORG_KEY, '-'], {
    input: real,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'go.sum database tree\n15081221\nBoMMe1wd25Tco0mYGROkyqxHZWx+hcSCtMV315Lu6Lg=\n');
  const bad = spawnSync(process.execPath, [cliMain(), 'verify-note', '--key', SUM_GOLANG_ORG_KEY, '-'], {
    input: real.replace('BoMM', 'BoMN'),
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(bad.status, 3);
});
