import { encodeBase64, utf8 } from '../internal/bytes.js';
import { checkIndex } from '../internal/num.js';
import { nobleSha256, type Sha256 } from '../internal/sha256.js';

/** SyntheticModule is a made-up module version and its record (go.sum lines) for test logs. */
export type SyntheticModule = { readonly path: string; readonly version: string; readonly text: Uint8Array };

/**
 * syntheticModule returns made-up module version number `i` and its record: the go.sum lines
 * `<path> <version> h1:<base64 SHA-256("zip <path>@<version>")>` and the same for `/go.mod` with
 * `"mod "`. Every fifth path has upper-case letters (`github.com/Upper<i>/Pkg`, escaped as
 * `!upper<i>/!pkg` in URLs), the others are `example.com/m<i>`; the version is `v1.<i%3>.<i>`.
 * The interop suite's Go server (test/interop/go/sumdbserver) fills its log with the same modules,
 * so both servers hold the same records. A non-empty `salt` is prepended to the hashed strings,
 * giving the same module other hashes.
 *
 * @throws RangeError unless `i` is a non-negative safe integer.
 * @example
 * ```ts
 * import { syntheticModule } from 'gosumdb/server';
 * const m = syntheticModule(5);
 * console.log(m.path, m.version); // github.com/Upper5/Pkg v1.2.5
 * // Two lines and the final newline:
 * console.log(new TextDecoder().decode(m.text).split('\n').length); // 3
 * ```
 */
export function syntheticModule(i: number, options: { readonly salt?: string; readonly sha256?: Sha256 } = {}): SyntheticModule {
  checkIndex(i, 'i');
  const sha = options.sha256 ?? nobleSha256;
  const salt = options.salt ?? '';
  const path = i % 5 === 0 ? `github.com/Upper${i}/Pkg` : `example.com/m${i}`;
  const version = `v1.${i % 3}.${i}`;
  const mv = `${path}@${version}`;
  const zip = encodeBase64(sha.hash(utf8(`${salt}zip ${mv}`)));
  const mod = encodeBase64(sha.hash(utf8(`${salt}mod ${mv}`)));
  return { path, version, text: utf8(`${path} ${version} h1:${zip}\n${path} ${version}/go.mod h1:${mod}\n`) };
}
