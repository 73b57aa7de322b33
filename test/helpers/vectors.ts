// The shared vector runner of test/<area>/vectors.test.ts: registers node:test cases that run every
// vectors/<area>/*.json file through this implementation and fail on any case that does not pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { allRunners, runVectorFile, type Runners, type VectorFile } from '../../src/conformance/index.js';

/** VectorTestOptions picks the runners and the extra checks of one area's vector tests. */
export type VectorTestOptions = {
  /** Named runner sets to run every file through (default: the area's entries of allRunners). */
  readonly backends?: Readonly<Record<string, Runners>>;
  /** Also assert that every error case's message reads exactly as Go's (`error.go`). */
  readonly goMessages?: boolean;
};

/**
 * vectorTests registers, for vectors/<area>/: one test that the files and the area's runners
 * match one to one, then per file (and per backend) one test that every case passes, and, with
 * `goMessages`, one that every error message equals Go's. Cases marked `(Go accepts: ...)` pin a
 * documented difference and carry no Go message (vectors/README.md).
 */
export function vectorTests(area: string, options: VectorTestOptions = {}): void {
  const dir = resolve(import.meta.dirname, '../../vectors', area);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const known: Runners = Object.assign({}, allRunners, ...Object.values(options.backends ?? {}));
  const areaRunners: Runners = Object.fromEntries(Object.entries(known).filter(([k]) => k.startsWith(`${area}/`)));
  const backends = options.backends ?? { '': areaRunners };

  test(`${area} vectors exist for every runner`, () => {
    const topics = files.map((f) => `${area}/${f.slice(0, -'.json'.length)}`);
    assert.deepEqual(topics.sort(), Object.keys(areaRunners).sort());
  });

  for (const f of files) {
    const vf = JSON.parse(readFileSync(join(dir, f), 'utf8')) as VectorFile;
    for (const [backend, runners] of Object.entries(backends)) {
      const label = backend ? ` (${backend})` : '';
      test(`vectors/${area}/${f}${label}: every case passes`, async () => {
        assert.ok(vf.cases.length > 0);
        const results = await runVectorFile(f, vf, runners);
        assert.equal(results.length, vf.cases.length);
        assert.deepEqual(
          results.filter((r) => !r.ok),
          [],
        );
      });
      if (!options.goMessages) continue;
      test(`vectors/${area}/${f}${label}: error messages match Go's`, async () => {
        const runner = runners[`${vf.area}/${vf.topic}`];
        assert.ok(runner, `no runner for ${vf.area}/${vf.topic}`);
        const wrong: string[] = [];
        for (const c of vf.cases) {
          if (!('error' in c) || c.error.go?.startsWith('(Go accepts')) continue;
          try {
            await runner(c.input);
            wrong.push(`${c.name}: no error`);
          } catch (e) {
            if ((e as Error).message !== c.error.go) wrong.push(`${c.name}: ${(e as Error).message} != ${c.error.go}`);
          }
        }
        assert.deepEqual(wrong, []);
      });
    }
  }
}
