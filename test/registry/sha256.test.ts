/**
 * The JavaScript SHA-256 behind the facts cache's file names gives node:crypto's digest, byte for
 * byte: around every padding boundary, for multi-byte UTF-8 and lone surrogates, and for the
 * registry URLs the cache is named after.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/registry/sha256.ts';

const reference = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('sha256Hex', () => {
  it('gives the published digests of the empty string and "abc"', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('agrees with node:crypto at every length up to three blocks', () => {
    for (let length = 0; length <= 200; length++) {
      const text = Array.from({ length }, (_, index) => String.fromCharCode(32 + ((index * 7 + length) % 95))).join('');
      expect(sha256Hex(text)).toBe(reference(text));
    }
  });

  it('agrees with node:crypto on registry URLs, multi-byte characters and lone surrogates', () => {
    const texts = [
      'https://registry.npm.example/',
      'https://npm.corp.example/repository/npm-group/',
      'http://127.0.0.1:4873/',
      'https://ci:secret@registry.npm.example/path/',
      'héllo wörld ✓ 日本語 🙂'.repeat(9),
      'lone \ud800 surrogate \udc00',
      'x'.repeat(10_000),
    ];
    for (const text of texts) expect(sha256Hex(text)).toBe(reference(text));
  });
});
