import ssri from 'ssri';
import { describe, expect, it } from 'vitest';
import { digestsFor, integrityOf, readSri } from '../../../src/checks/integrity/sri.ts';
import { sha1Of, sha512Of } from '../../helpers/graph.ts';

const SHA512 = sha512Of('a');
const SHA512_B = sha512Of('b');
const SHA1 = sha1Of('a');
const SHA256 = 'sha256-LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE=';

describe('readSri', () => {
  it('is needed because ssri silently accepts md5 and drops what it cannot read', () => {
    expect(Object.keys(ssri.parse(`md5-CYma5Vk4BrSx7Iup6MxkmQ== ${SHA1}`))).toEqual(['md5', 'sha1']);
    expect(ssri.parse(`${SHA512} undefined`).toString()).toBe(SHA512);
    expect(readSri('md5-CYma5Vk4BrSx7Iup6MxkmQ==')).toEqual({
      tokens: [],
      strongest: undefined,
      problems: [{ code: 'unknown-algorithm', token: 'md5-CYma5Vk4BrSx7Iup6MxkmQ==', detail: 'unknown algorithm "md5" (expected sha512, sha384, sha256 or sha1)' }],
    });
  });

  it('keeps only the well-formed tokens, options included', () => {
    const { tokens, strongest, problems } = readSri(`${SHA512}?opt undefined ${SHA1}`);
    expect(problems).toEqual([{ code: 'stray-text', token: 'undefined', detail: '"undefined" is not an <algorithm>-<base64 digest> token' }]);
    expect(tokens).toEqual([`${SHA512}?opt`, SHA1]);
    expect(strongest).toBe('sha512');
    expect(integrityOf(tokens)).toEqual({ sha512: [{ digest: SHA512.slice('sha512-'.length) }], sha1: [{ digest: SHA1.slice('sha1-'.length) }] });
  });

  it('groups well-formed tokens as ssri parses them (digest, algorithm, order, repeats)', () => {
    const values = [
      `${SHA512}?opt ${SHA1}`,
      `${SHA512_B}?a?b ${SHA1} ${SHA512} ${SHA512_B}`,
      `sha256-${Buffer.alloc(32, 9).toString('base64')}?x=1 sha384-${Buffer.alloc(48, 7).toString('base64')}`,
      `${SHA1}?one ${SHA1}?two`,
    ];
    for (const value of values) {
      const { tokens } = readSri(value);
      const ours = integrityOf(tokens);
      const theirs = ssri.parse(tokens.join(' '));
      const digests = Object.fromEntries(Object.entries(theirs).map(([algorithm, hashes]) => [algorithm, hashes.map((hash) => ({ digest: hash.digest }))]));
      expect(ours).toEqual(digests);
    }
  });

  it('accepts every supported algorithm at its exact length', () => {
    for (const [algorithm, bytes] of [['sha512', 64], ['sha384', 48], ['sha256', 32], ['sha1', 20]] as const) {
      const value = `${algorithm}-${Buffer.alloc(bytes, 3).toString('base64')}`;
      expect(readSri(value).problems).toEqual([]);
      const short = `${algorithm}-${Buffer.alloc(bytes - 1, 3).toString('base64')}`;
      expect(readSri(short).problems).toEqual([
        { code: 'wrong-length', token: short, detail: `the ${algorithm} digest is ${bytes - 1} bytes, expected ${bytes}` },
      ]);
    }
  });

  it('reports an empty or blank value once', () => {
    expect(readSri('')).toEqual({ tokens: [], strongest: undefined, problems: [{ code: 'empty', token: '', detail: 'the integrity value is empty' }] });
    expect(readSri('\n ').problems).toEqual([{ code: 'empty', token: '\n ', detail: 'the integrity value is empty' }]);
  });

  it('names the offending character of a digest', () => {
    expect(readSri('sha1-abc\u00e9defghijklmnopqrstuvwxy=').problems).toEqual([
      { code: 'bad-base64', token: 'sha1-abc\u00e9defghijklmnopqrstuvwxy=', detail: 'the sha1 digest is not valid base64: unexpected "\u00e9" at offset 3' },
    ]);
    expect(readSri('-abc').problems).toEqual([{ code: 'stray-text', token: '-abc', detail: '"-abc" is not an <algorithm>-<base64 digest> token' }]);
  });
});

describe('strongest', () => {
  it('is what npm verifies with: the strongest well-formed algorithm present', () => {
    expect(readSri(`${SHA1} ${SHA256}`).strongest).toBe('sha256');
    expect(readSri(`${SHA256} ${SHA512} ${SHA1}`).strongest).toBe('sha512');
    expect(readSri(`${SHA1} sha512-broken`).strongest).toBe('sha1');
    expect(readSri('sha512-broken').strongest).toBeUndefined();
  });
});

describe('digestsFor', () => {
  it('gives one comparable string per algorithm, sorted, without options', () => {
    const integrity = integrityOf(readSri(`${SHA512_B}?x ${SHA1} ${SHA512}`).tokens);
    expect(digestsFor(integrity, 'sha512')).toBe([SHA512, SHA512_B].sort().join(' '));
    expect(digestsFor(integrity, 'sha1')).toBe(SHA1);
    expect(digestsFor(integrity, 'sha256')).toBeUndefined();
  });
});
