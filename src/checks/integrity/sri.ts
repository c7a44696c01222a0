/**
 * Strict reading of Subresource Integrity strings as lockfiles write them:
 * whitespace-separated `<algorithm>-<base64 digest>[?<options>]` tokens.
 *
 * ssri (what npm uses) is deliberately lenient: it silently drops every token it cannot read
 * and accepts any hash Node knows (md5 included). A check that relied on it alone would see a
 * corrupted value as "no hash" or a weak hash as fine, so every token is validated here first
 * and only tokens that pass are grouped by algorithm for comparison (`integrityOf`). npm
 * compares digests as strings, so anything but the canonical, padded base64 of the right length
 * can never match and is reported.
 *
 * The grouping is done here rather than by ssri's parser: the tokens are already proven
 * well-formed, and importing ssri loads node:crypto, ~6 ms of every audit that an offline audit
 * otherwise never needs. Where ssri's leniency is wanted (an SRI value from a registry), it is
 * imported on first use (`loadSsri`).
 */
import type ssri from 'ssri';

export type Ssri = typeof ssri;

/** ssri, imported on first use (see the file comment). */
export async function loadSsri(): Promise<Ssri> {
  return (await import('ssri')).default;
}

/** Digests by algorithm, as ssri's `parse` groups them (only what comparisons read). */
export type DigestsByAlgorithm = { readonly [Algorithm in SriAlgorithm]?: readonly { readonly digest: string }[] };

/** Digest size in bytes of every algorithm a lockfile may legitimately use. */
export const DIGEST_BYTES = { sha512: 64, sha384: 48, sha256: 32, sha1: 20 } as const;
export type SriAlgorithm = keyof typeof DIGEST_BYTES;

/** Strongest first: the order in which algorithms are compared and reported. */
export const ALGORITHMS_BY_STRENGTH: readonly SriAlgorithm[] = ['sha512', 'sha384', 'sha256', 'sha1'];

/** sha1 is collision-prone (SHAttered, 2017); only the SHA-2 family counts as strong. */
export const STRONG_ALGORITHMS: ReadonlySet<SriAlgorithm> = new Set(['sha512', 'sha384', 'sha256']);

export type SriProblemCode = 'empty' | 'stray-text' | 'unknown-algorithm' | 'bad-base64' | 'wrong-length' | 'bad-option';

export interface SriProblem {
  readonly code: SriProblemCode;
  /** The offending token exactly as written ('' for an empty value). */
  readonly token: string;
  /** One line of plain text naming the exact problem. */
  readonly detail: string;
}

export interface SriReading {
  /** The well-formed tokens as written, for `integrityOf` when digests must be compared. */
  readonly tokens: readonly string[];
  /** Strongest algorithm among them, the one npm verifies with; undefined when there are none. */
  readonly strongest: SriAlgorithm | undefined;
  readonly problems: readonly SriProblem[];
}

/** Canonical alphabet with at most two padding characters; the detail is worked out on failure only. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_CHAR = /[A-Za-z0-9+/]/;
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** SRI option-expression is `*VCHAR` (printable ASCII). */
const VCHAR_ONLY = /^[\x21-\x7e]*$/;
const SHOWN_TOKEN_LENGTH = 100;

function isAlgorithm(name: string): name is SriAlgorithm {
  return Object.hasOwn(DIGEST_BYTES, name);
}

/** Quotes attacker-controlled text for a message, shortened so one value cannot flood the output. */
function quote(text: string): string {
  const shown = text.length > SHOWN_TOKEN_LENGTH ? `${text.slice(0, SHOWN_TOKEN_LENGTH)}…` : text;
  return JSON.stringify(shown);
}

/**
 * Why `digest` is not canonical padded base64, or undefined when it is. Linear and
 * allocation-free on the common (valid) path: a lockfile can hold 50,000 of these.
 */
function base64Problem(digest: string): string | undefined {
  if (!BASE64.test(digest)) {
    const body = digest.replace(/={1,2}$/, '');
    for (let offset = 0; offset < body.length; offset++) {
      const char = body.charAt(offset);
      if (!BASE64_CHAR.test(char)) return `unexpected ${quote(char)} at offset ${offset}`;
    }
    return `unexpected "=" at offset ${digest.indexOf('=')}`;
  }
  if (digest.length % 4 !== 0) return `length ${digest.length} is not a multiple of 4 (missing or extra padding)`;
  // With padding, the last data character carries 2 or 4 unused bits, which must be zero.
  const padding = digest.endsWith('==') ? 2 : digest.endsWith('=') ? 1 : 0;
  const lastValue = BASE64_ALPHABET.indexOf(digest.charAt(digest.length - padding - 1));
  const unusedBits = padding === 2 ? 0b1111 : padding === 1 ? 0b11 : 0;
  if ((lastValue & unusedBits) !== 0) return 'not canonical (stray bits in the last character)';
  return undefined;
}

/** Decoded size of canonical padded base64. */
function decodedBytes(digest: string): number {
  const padding = digest.endsWith('==') ? 2 : digest.endsWith('=') ? 1 : 0;
  return (digest.length / 4) * 3 - padding;
}

/** The problem with one token, or undefined when it is well-formed. */
function tokenProblem(token: string): SriProblem | undefined {
  const dash = token.indexOf('-');
  if (dash <= 0) {
    return { code: 'stray-text', token, detail: `${quote(token)} is not an <algorithm>-<base64 digest> token` };
  }
  const algorithm = token.slice(0, dash);
  if (!isAlgorithm(algorithm)) {
    return {
      code: 'unknown-algorithm',
      token,
      detail: `unknown algorithm ${quote(algorithm)} (expected sha512, sha384, sha256 or sha1)`,
    };
  }
  const rest = token.slice(dash + 1);
  const question = rest.indexOf('?');
  const digest = question < 0 ? rest : rest.slice(0, question);
  const options = question < 0 ? '' : rest.slice(question + 1);
  const expected = DIGEST_BYTES[algorithm];
  if (digest === '') {
    return { code: 'wrong-length', token, detail: `the ${algorithm} digest is empty, expected ${expected} bytes` };
  }
  const notBase64 = base64Problem(digest);
  if (notBase64 !== undefined) {
    return { code: 'bad-base64', token, detail: `the ${algorithm} digest is not valid base64: ${notBase64}` };
  }
  const actual = decodedBytes(digest);
  if (actual !== expected) {
    return { code: 'wrong-length', token, detail: `the ${algorithm} digest is ${actual} bytes, expected ${expected}` };
  }
  if (!VCHAR_ONLY.test(options)) {
    return { code: 'bad-option', token, detail: `the option ${quote(options)} holds characters outside printable ASCII` };
  }
  return undefined;
}

function stronger(a: SriAlgorithm | undefined, b: SriAlgorithm): SriAlgorithm {
  return a === undefined || ALGORITHMS_BY_STRENGTH.indexOf(b) < ALGORITHMS_BY_STRENGTH.indexOf(a) ? b : a;
}

/**
 * One sha512 token in canonical padded base64 (86 characters, the last with its 4 unused bits
 * zero, then "=="): what `readSri` reads as well-formed and strong with nothing to report. The
 * value nearly every lockfile entry holds, recognised by one native test.
 */
const CANONICAL_SHA512 = /^sha512-[A-Za-z0-9+/]{85}[AQgw]==$/;

export function isCanonicalSha512(value: string): boolean {
  return CANONICAL_SHA512.test(value);
}

export function readSri(value: string): SriReading {
  // Nearly every value is a single token: skip the regex split for those.
  const tokens = /\s/.test(value) ? value.split(/\s+/).filter((token) => token !== '') : value === '' ? [] : [value];
  if (tokens.length === 0) {
    return { tokens: [], strongest: undefined, problems: [{ code: 'empty', token: value, detail: 'the integrity value is empty' }] };
  }
  const valid: string[] = [];
  const problems: SriProblem[] = [];
  let strongest: SriAlgorithm | undefined;
  for (const token of tokens) {
    const problem = tokenProblem(token);
    if (problem) {
      problems.push(problem);
    } else {
      valid.push(token);
      // A well-formed token starts with a known algorithm and its dash.
      strongest = stronger(strongest, token.slice(0, token.indexOf('-')) as SriAlgorithm);
    }
  }
  return { tokens: valid, strongest, problems };
}

/**
 * Well-formed tokens (`readSri`'s) grouped by algorithm, in order, as ssri's `parse` reads them:
 * the digest is the text between the dash and the first `?`. Only needed to compare copies of
 * one release, so it is not paid for every package.
 */
export function integrityOf(tokens: readonly string[]): DigestsByAlgorithm {
  const grouped: { [Algorithm in SriAlgorithm]?: { digest: string }[] } = {};
  for (const token of tokens) {
    const dash = token.indexOf('-');
    const question = token.indexOf('?', dash);
    const algorithm = token.slice(0, dash) as SriAlgorithm;
    (grouped[algorithm] ??= []).push({ digest: token.slice(dash + 1, question < 0 ? token.length : question) });
  }
  return grouped;
}

/**
 * The digests recorded for one algorithm as a comparable string (`sha512-…`, several joined by
 * a space in sorted order), or undefined when the algorithm is absent.
 */
export function digestsFor(integrity: DigestsByAlgorithm, algorithm: SriAlgorithm): string | undefined {
  const hashes = Object.hasOwn(integrity, algorithm) ? integrity[algorithm] : undefined;
  if (!hashes || hashes.length === 0) return undefined;
  return hashes
    .map((hash) => `${algorithm}-${hash.digest}`)
    .sort()
    .join(' ');
}
