// Hand-written dirhash tests: behaviour the Go 1.19 generator cannot pin (newer Go), streaming
// and memory bounds, hostile inputs, and fuzzing. Expected hashes come from expectedH1, an
// independent computation of Go's Hash1 with node:crypto.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { GosumdbError } from '../../src/internal/errors.js';
import {
  bytesSource,
  checkZip,
  checkedFilesError,
  crc32Ieee,
  portableInflater,
  hash1,
  hashGoMod,
  hashModuleZip,
  hashZip,
  type ByteSource,
  type ZipOptions,
} from '../../src/dirhash/index.js';
import { nodeZipOptions } from '../../src/node/dirhash.js';
import { nodeCrc32, nodeInflater } from '../../src/node/inflate.js';
import { buildZip, expectedH1 } from './zipfixture.js';
import { rng } from '../helpers/rng.js';

const enc = new TextEncoder();
const backends: Record<string, ZipOptions> = { portable: {}, native: nodeZipOptions };

async function rejectsCode(p: Promise<unknown>, code: string): Promise<GosumdbError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof GosumdbError, `want GosumdbError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    return e;
  }
  assert.fail(`want ${code}, got success`);
}

// A source that records its reads, to check that zips are read in bounded pieces.
function countingSource(bytes: Uint8Array): ByteSource & { maxRead: number; total: number } {
  const s = {
    size: bytes.length,
    maxRead: 0,
    total: 0,
    read(offset: number, length: number) {
      assert.ok(offset >= 0 && offset + length <= bytes.length, `read ${offset}+${length} within ${bytes.length}`);
      s.maxRead = Math.max(s.maxRead, length);
      s.total += length;
      return Promise.resolve(bytes.slice(offset, offset + length));
    },
  };
  return s;
}

function pattern(n: number, seed: number): Uint8Array {
  const r = rng(seed);
  const words = new Uint32Array(Math.ceil(n / 4));
  for (let i = 0; i < words.length; i++) words[i] = r() * 2 ** 32;
  return new Uint8Array(words.buffer, 0, n);
}

for (const [backend, opts] of Object.entries(backends)) {
  test(`newer-go: a directory entry reads as empty without looking at its method or CRC (${backend})`, async () => {
    const z = buildZip([
      { name: 'd/', data: new Uint8Array(0), method: 99, crc: 1234 },
      { name: 'd/f', data: enc.encode('f') },
    ]);
    assert.equal(
      await hashZip(z, opts),
      expectedH1([
        { name: 'd/', data: new Uint8Array(0) },
        { name: 'd/f', data: enc.encode('f') },
      ]),
    );
  });

  test(`newer-go: a directory entry declaring content is malformed (${backend})`, async () => {
    const z = buildZip([{ name: 'd/', data: enc.encode('data in a directory') }]);
    const e = await rejectsCode(hashZip(z, opts), 'ERR_ZIP_MALFORMED');
    assert.match(e.message, /"d\/"/);
  });

  test(`a large deflate entry streams from a ByteSource in bounded reads (${backend})`, async () => {
    // 6 MiB of incompressible data: its DEFLATE form is over the 4 MiB one-shot limit, so it is
    // inflated incrementally (a one-shot read of it would break the 1 MiB bound below).
    const data = pattern(6 << 20, 11);
    const z = buildZip([
      { name: 'big', data, method: 8 },
      { name: 'small', data: enc.encode('s'), method: 8 },
    ]);
    const src = countingSource(z);
    assert.equal(
      await hashZip(src, opts),
      expectedH1([
        { name: 'big', data },
        { name: 'small', data: enc.encode('s') },
      ]),
    );
    assert.ok(src.maxRead <= 1 << 20, `largest read ${src.maxRead}`);
  });

  test(`a large stored entry streams too (${backend})`, async () => {
    const data = pattern(5 << 20, 3);
    const z = buildZip([{ name: 's', data }]);
    const src = countingSource(z);
    assert.equal(await hashZip(src, opts), expectedH1([{ name: 's', data }]));
    assert.ok(src.maxRead <= 1 << 20);
  });

  test(`zip bomb: declared content over maxSize is refused before inflating (${backend})`, async () => {
    const data = new Uint8Array(4 << 20);
    const z = buildZip([{ name: 'bomb', data, method: 8 }]);
    const src = countingSource(z);
    await rejectsCode(hashZip(src, { ...opts, maxSize: 1 << 20 }), 'ERR_ZIP_TOO_LARGE');
    assert.ok(src.total < z.length + (1 << 20), 'only the directory was read');
  });

  test(`zip bomb: overlapping entries count against maxSize (${backend})`, async () => {
    const data = new Uint8Array(1 << 20);
    const entries = Array.from({ length: 600 }, (_, i) => ({ name: `f${i}`, data, method: 8, sameDataAs: i === 0 ? undefined : 0 }));
    const z = buildZip(entries.map((e) => (e.sameDataAs === undefined ? { name: e.name, data, method: 8 } : { ...e, sameDataAs: 0 })));
    await rejectsCode(hashZip(z, opts), 'ERR_ZIP_TOO_LARGE');
  });

  test(`zip bomb: a deflate stream longer than its declared size stops early (${backend})`, async () => {
    const huge = new Uint8Array(64 << 20);
    const z = buildZip([{ name: 'bomb', data: new Uint8Array(10), method: 8, raw: new Uint8Array(deflateRawSync(huge)) }]);
    const t = Date.now();
    const e = await rejectsCode(hashZip(z, opts), 'ERR_ZIP_MALFORMED');
    assert.match(e.message, /bomb/);
    assert.ok(Date.now() - t < 5000);
  });

  test(`zip bomb: a streamed deflate entry longer than declared stops early (${backend})`, async () => {
    // Declared 17 MiB (above the one-shot limit, so the entry is streamed), inflating to 64 MiB.
    const raw = new Uint8Array(deflateRawSync(new Uint8Array(64 << 20)));
    const z = buildZip([{ name: 'streamed-bomb', data: new Uint8Array(0), usize: 17 << 20, method: 8, raw }]);
    const e = await rejectsCode(hashZip(z, opts), 'ERR_ZIP_MALFORMED');
    assert.match(e.message, /streamed-bomb.*longer than the declared/);
  });

  test(`a stored byte flipped in the content is a CRC error naming the entry (${backend})`, async () => {
    const data = pattern(1000, 5);
    const z = buildZip([{ name: 'victim.go', data }]);
    for (const at of [30 + 'victim.go'.length, 30 + 'victim.go'.length + 999]) {
      const t = z.slice();
      t[at]! ^= 1;
      const e = await rejectsCode(hashZip(t, opts), 'ERR_ZIP_CRC');
      assert.match(e.message, /victim\.go/);
    }
  });
}

test('absurd entry counts: an end record claiming 65535 entries fails fast', async () => {
  const z = buildZip([{ name: 'a', data: enc.encode('x') }], { records: 0xfffe });
  await rejectsCode(hashZip(z), 'ERR_ZIP_MALFORMED');
});

test('a failing or lying ByteSource is an ERR_ZIP_READ error', async () => {
  const z = buildZip([{ name: 'a', data: enc.encode('x') }]);
  await rejectsCode(hashZip({ size: z.length, read: () => Promise.reject(new Error('disk on fire')) }), 'ERR_ZIP_READ');
  await rejectsCode(hashZip({ size: z.length, read: (o, l) => Promise.resolve(z.slice(o, o + l - 1)) }), 'ERR_ZIP_READ');
});

test('caller mistakes are TypeError / RangeError', async () => {
  await assert.rejects(hashZip('zip.zip' as unknown as Uint8Array), TypeError);
  await assert.rejects(hashZip({ size: -1, read: () => Promise.resolve(new Uint8Array(0)) }), RangeError);
  await assert.rejects(hashZip(buildZip([]), { maxSize: -1 }), RangeError);
  await assert.rejects(
    hash1('a' as unknown as string[], () => new Uint8Array(0)),
    TypeError,
  );
  await assert.rejects(hashGoMod('module m' as unknown as Uint8Array), TypeError);
});

test('hash1 accepts content as bytes, sync chunks or async chunks', async () => {
  const want = expectedH1([{ name: 'a', data: enc.encode('hello world') }]);
  assert.equal(await hash1(['a'], () => enc.encode('hello world')), want);
  assert.equal(await hash1(['a'], () => [enc.encode('hello '), enc.encode('world')]), want);
  assert.equal(
    await hash1(['a'], async () =>
      (async function* () {
        yield enc.encode('hello ');
        yield enc.encode('world');
      })(),
    ),
    want,
  );
});

test('hash1 opens files one at a time in sorted order and checks the name before opening', async () => {
  const opened: string[] = [];
  await assert.rejects(
    hash1(['b', 'a\nx', 'a'], (n) => {
      opened.push(n);
      return new Uint8Array(0);
    }),
    (e: unknown) => e instanceof GosumdbError && e.code === 'ERR_DIRHASH_NEWLINE',
  );
  assert.deepEqual(opened, ['a']);
});

test('non-UTF-8 zip names are hashed as raw bytes', async () => {
  const name = Uint8Array.from([0x66, 0xff, 0x67]);
  const z = buildZip([{ name, data: enc.encode('x') }]);
  const { createHash } = await import('node:crypto');
  const line = Buffer.concat([Buffer.from(createHash('sha256').update('x').digest('hex') + '  '), Buffer.from(name), Buffer.from('\n')]);
  assert.equal(await hashZip(z), 'h1:' + createHash('sha256').update(line).digest('base64'));
});

test('CRC-32 backends agree with each other on random data', () => {
  for (let i = 0; i < 50; i++) {
    const d = pattern(i * 37 + 1, i + 1);
    assert.equal(crc32Ieee(crc32Ieee(0, d.subarray(0, 7)), d.subarray(7)), nodeCrc32(0, d));
  }
});

test('inflaters: empty input and truncated streams are errors; trailing bytes are ignored', () => {
  const data = pattern(10000, 2);
  const c = new Uint8Array(deflateRawSync(data));
  for (const inf of [portableInflater, nodeInflater]) {
    const malformed = (e: unknown) => e instanceof GosumdbError && e.code === 'ERR_ZIP_MALFORMED';
    assert.throws(() => inf.inflateSync(new Uint8Array(0), 10), malformed);
    assert.throws(() => inf.inflateSync(c.subarray(0, c.length - 3), data.length), malformed);
    assert.throws(() => inf.inflateSync(Uint8Array.from([0x07, 0, 0]), 10), malformed);
    assert.deepEqual(inf.inflateSync(Uint8Array.from([...c, 1, 2, 3]), data.length), data);
    assert.ok(inf.inflateSync(c, 100).length > 100);
  }
});

// An entry over 4 MiB compressed is inflated as a stream (node:zlib's backend too).
test('a streamed entry: bytes after its final block are ignored (as Go); corrupt data far in is an error, not a hang', {
  timeout: 120_000,
}, async () => {
  const data = pattern(5 << 20, 7);
  const name = 'm@v1/big.bin';
  const padded = new Uint8Array([...deflateRawSync(data), ...new Uint8Array(200 << 10)]);
  // Stored blocks (level 0), with the length complement of the 40th block broken (about 2.6 MB in).
  const stored = new Uint8Array(deflateRawSync(data, { level: 0 }));
  let at = 0;
  for (let k = 0; k < 39; k++) at += 5 + (stored[at + 1]! | (stored[at + 2]! << 8));
  stored[at + 3]! ^= 0xff;
  for (const [backend, opts] of Object.entries(backends)) {
    assert.equal(
      await hashZip(bytesSource(buildZip([{ name, data, method: 8, raw: padded }])), opts),
      expectedH1([{ name, data }]),
      backend,
    );
    await rejectsCode(hashZip(bytesSource(buildZip([{ name, data, method: 8, raw: stored }])), opts), 'ERR_ZIP_MALFORMED');
  }
});

test('fuzz: random bytes and single-byte tampering only ever give GosumdbError or a hash', async () => {
  const base = buildZip([
    { name: 'a.go', data: pattern(300, 1), method: 8 },
    { name: 'dir/', data: new Uint8Array(0) },
    { name: 'b.txt', data: pattern(200, 2) },
  ]);
  const r = rng(42);
  const rnd = (n: number) => Math.floor(r() * n);
  const inputs: Uint8Array[] = [];
  for (let i = 0; i < 300; i++) {
    const t = base.slice();
    t[rnd(t.length)] = rnd(256);
    inputs.push(t);
  }
  for (let i = 0; i < 100; i++) inputs.push(pattern(rnd(200), i));
  for (let i = 0; i < 50; i++) inputs.push(base.slice(0, rnd(base.length)));
  for (const z of inputs) {
    for (const opts of Object.values(backends)) {
      try {
        const h = await hashZip(z, opts);
        assert.match(h, /^h1:[A-Za-z0-9+/]{43}=$/);
      } catch (e) {
        assert.ok(e instanceof GosumdbError, `non-GosumdbError: ${String(e)}`);
      }
    }
    try {
      const cf = await checkZip(z, 'example.com/m', 'v1.0.0');
      assert.ok(Array.isArray(cf.valid) && Array.isArray(cf.invalid));
    } catch (e) {
      assert.ok(e instanceof GosumdbError, `checkZip: non-GosumdbError: ${String(e)}`);
    }
  }
});

for (const [backend, opts] of Object.entries(backends)) {
  test(`content tampering never yields a different hash (${backend})`, async () => {
    const data = pattern(400, 9);
    const comp = new Uint8Array(deflateRawSync(data));
    const dataStart = 30 + 1;
    for (const [method, len] of [
      [0, data.length],
      [8, comp.length],
    ] as const) {
      const base = buildZip([{ name: 'x', data, method }]);
      const good = await hashZip(base, opts);
      for (let at = dataStart; at < dataStart + len; at++) {
        const t = base.slice();
        t[at]! ^= 0x10;
        let h: string | undefined;
        try {
          h = await hashZip(t, opts);
        } catch (e) {
          assert.ok(e instanceof GosumdbError);
          continue;
        }
        // Only bits a DEFLATE decoder ignores (block padding) may be flipped without an error.
        assert.equal(method, 8, `stored byte ${at} flipped without error`);
        assert.equal(h, good);
      }
    }
  });
}

test('checkZip: a zip larger than 500 MiB is a size error without reading it', async () => {
  const src: ByteSource = { size: 600 << 20, read: () => Promise.reject(new Error('must not read')) };
  const cf = await checkZip(src, 'example.com/m', 'v1.0.0');
  assert.equal(cf.sizeError, `module zip file is too large (${600 << 20} bytes; limit is ${500 << 20} bytes)`);
  assert.deepEqual([cf.valid, cf.invalid], [[], []]);
  await rejectsCode(hashModuleZip(src, 'example.com/m', 'v1.0.0'), 'ERR_ZIP_TOO_LARGE');
});

test('hashModuleZip hashes valid module zips and refuses invalid ones', async () => {
  const files = [
    { name: 'example.com/m@v1.0.0/go.mod', data: enc.encode('module example.com/m\n') },
    { name: 'example.com/m@v1.0.0/m.go', data: enc.encode('package m\n') },
  ];
  const z = buildZip(files.map((f) => ({ ...f, method: 8 })));
  assert.equal(await hashModuleZip(z, 'example.com/m', 'v1.0.0', nodeZipOptions), expectedH1(files));
  const bad = buildZip([...files, { name: 'example.com/m@v1.0.0/M.go', data: enc.encode('x') }]);
  const e = await rejectsCode(hashModuleZip(bad, 'example.com/m', 'v1.0.0'), 'ERR_MODULE_ZIP_INVALID');
  assert.match(e.message, /case-insensitive file name collision: "m.go" and "M.go"/);
  await rejectsCode(hashModuleZip(z, 'example.com/m', 'v1.0'), 'ERR_MODULE_VERSION_INVALID');
  const cf = await checkZip(bad, 'example.com/m', 'v1.0.0');
  assert.equal(checkedFilesError(cf), 'example.com/m@v1.0.0/M.go: case-insensitive file name collision: "m.go" and "M.go"');
  assert.equal(checkedFilesError(await checkZip(z, 'example.com/m', 'v1.0.0')), undefined);
});

test('bytesSource reads are views within the bytes', async () => {
  const b = Uint8Array.from([1, 2, 3, 4]);
  const s = bytesSource(b);
  assert.equal(s.size, 4);
  assert.deepEqual(await s.read(1, 2), Uint8Array.from([2, 3]));
});
