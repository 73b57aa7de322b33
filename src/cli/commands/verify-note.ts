import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { GosumdbError } from '../../internal/errors.js';
import {
  newCosignatureV1Verifier,
  newVerifier,
  openCosignedNote,
  openNote,
  verifierList,
  type Note,
  type Signature,
  type Verifier,
} from '../../note/index.js';
import type { Command } from '../command.js';
import { EXIT, UsageError } from '../exit.js';
import { parseFlags } from '../flags.js';

function parseKey(vkey: string): Verifier {
  try {
    return newVerifier(vkey);
  } catch (e) {
    // A C2SP cosigner key (type 0x04) is accepted too.
    if (e instanceof GosumdbError && e.message === 'unknown verifier algorithm') return newCosignatureV1Verifier(vkey);
    throw e;
  }
}

async function readInput(arg: string, cwd: string): Promise<Uint8Array> {
  if (arg === '-') {
    const chunks: Uint8Array[] = [];
    for await (const c of process.stdin) chunks.push(c as Uint8Array);
    return new Uint8Array(Buffer.concat(chunks));
  }
  try {
    return new Uint8Array(await readFile(resolve(cwd, arg)));
  } catch (e) {
    throw new UsageError(`cannot read ${arg}: ${(e as Error).message}`);
  }
}

const keyId = (s: Signature) => `${s.name}+${s.hash.toString(16).padStart(8, '0')}`;

/** `gosumdb verify-note --key <vkey> [--key ...] <file|->`: opens a signed note with the given keys. */
export const verifyNoteCommand: Command = {
  usage: `Usage: gosumdb verify-note --key <vkey> [--key <vkey> ...] <file|->
       gosumdb verify-note --key <log vkey> --witness <vkey> [--witness ...] [--quorum k] <file|->

Opens the signed note in file (or standard input for -) with the same rules as Go's
golang.org/x/mod/sumdb/note, trusting only the given verifier keys (name+hash+base64;
C2SP cosigner keys are accepted too). On success the note's text is printed on standard output
and each verified signer on standard error. With --witness, the note must be signed by the one
--key (the log) and by at least k of the witness keys (default: all of them), as in
c2sp.org/tlog-cosignature; cosignature times are shown.

Example:
  curl -s https://sum.golang.org/latest | gosumdb verify-note \\
    --key sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8 -

Exit status:
  0  verified by at least one of the keys
  1  well-formed, but signed by none of the keys (or without the log key or witness quorum)
  2  usage error, malformed key, or malformed note
  3  a signature by one of the keys is invalid (forged or altered note)
`,
  async run(args, io) {
    const { values, positionals } = parseFlags(args, {
      key: { type: 'string', multiple: true },
      witness: { type: 'string', multiple: true },
      quorum: { type: 'string' },
    });
    const keys = [...new Set(values.key ?? [])];
    const witnessKeys = [...new Set(values.witness ?? [])];
    if (keys.length === 0) throw new UsageError('at least one --key is required');
    if (positionals.length !== 1) throw new UsageError('exactly one file (or -) is required');
    if (witnessKeys.length === 0 && values.quorum !== undefined) throw new UsageError('--quorum needs --witness keys');
    if (witnessKeys.length > 0 && keys.length !== 1) throw new UsageError('with --witness, give exactly one --key (the log key)');
    const quorum = values.quorum === undefined ? witnessKeys.length : Number(values.quorum);
    if (!/^[0-9]+$/.test(values.quorum ?? '0') || quorum > witnessKeys.length) {
      throw new UsageError(`--quorum must be a number from 0 to ${witnessKeys.length}`);
    }
    const verifiers = keys.map(parseKey);
    const witnesses = witnessKeys.map(parseKey);
    const msg = await readInput(positionals[0]!, io.cwd);
    let n: Note;
    if (witnesses.length > 0) {
      const c = openCosignedNote(msg, { log: verifiers[0]!, witnesses, quorum });
      n = c;
      for (const w of c.witnesses) {
        // A Date holds at most 8.64e15 ms; later (hostile) times are shown as seconds only.
        const date = w.timestamp !== undefined && w.timestamp <= 8.64e12 ? ` (${new Date(w.timestamp * 1000).toISOString()})` : '';
        const when = w.timestamp === undefined ? '' : ` at ${w.timestamp}${date}`;
        io.stderr(`witness: ${keyId(w)}${when}\n`);
      }
    } else {
      n = openNote(msg, verifierList(...verifiers));
    }
    io.stdout(n.text);
    for (const s of n.sigs) io.stderr(`verified: ${keyId(s)}\n`);
    for (const s of n.unverifiedSigs) io.stderr(`ignored, unknown key: ${keyId(s)}\n`);
    return EXIT.ok;
  },
};
