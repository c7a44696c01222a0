/**
 * The one-pass key index of YAML lockfiles (src/lockfiles/locate/yaml.ts): positions of
 * top-level keys and of the keys of the sections asked for, in the last document.
 */
import { describe, expect, it } from 'vitest';
import { indexYamlKeys, keyAt, SectionKeys } from '../../src/lockfiles/locate/yaml.ts';
import { fixture } from './pnpm-fixtures.ts';

const SECTIONS = ['importers', 'packages', 'snapshots'];

/** The positions of top-level or of a section's keys as `key line:column`, in text order. */
function listed(keys: ReadonlyMap<string, { line: number; column: number }> | SectionKeys | undefined): string[] {
  if (keys instanceof SectionKeys) return [...keys.lines].map(([key, line]) => `${key} ${line}:${keys.column}`);
  return [...(keys ?? [])].map(([key, at]) => `${key} ${at.line}:${at.column}`);
}

describe('indexYamlKeys', () => {
  it('indexes a pnpm 9 lockfile: top-level keys, importers, packages and snapshots', () => {
    const index = indexYamlKeys(fixture('peer', 'pnpm9').text, SECTIONS);
    expect(listed(index.topLevel)).toEqual(['lockfileVersion 1:1', 'settings 3:1', 'importers 7:1', 'packages 18:1', 'snapshots 51:1']);
    expect(listed(index.sections.get('importers'))).toEqual(['. 9:3']);
    expect(listed(index.sections.get('packages'))).toEqual([
      'js-tokens@4.0.0 20:3',
      'loose-envify@1.4.0 23:3',
      'react-dom@18.3.1 27:3',
      'react@18.3.1 32:3',
      'scheduler@0.23.2 36:3',
      'ws@8.18.0 39:3',
    ]);
    expect(listed(index.sections.get('snapshots'))).toEqual([
      'js-tokens@4.0.0 53:3',
      'loose-envify@1.4.0 55:3',
      'react-dom@18.3.1(react@18.3.1) 59:3',
      'react@18.3.1 65:3',
      'scheduler@0.23.2 69:3',
      'ws@8.18.0 73:3',
    ]);
    expect(index.sections.has('settings')).toBe(false);
  });

  it('decodes quoted keys, keeps the last document only, and handles CRLF', () => {
    const text = [
      'lockfileVersion: 9.0',
      'packages:',
      '  env@1.0.0: {}',
      '---',
      'lockfileVersion: 9.0',
      '# a comment',
      'packages:',
      "    '@scope/a@1.0.0':",
      '      resolution: {}',
      "    'it''s@1.0.0': {}",
      '    "d\\u0041@1.0.0": {}',
      '    plain@1.0.0:   ',
      '    - not-a-key',
      '    ? explicit',
      '  too-shallow: {}',
      'snapshots: {}',
      '',
    ].join('\r\n');
    const index = indexYamlKeys(text, SECTIONS);
    expect(listed(index.topLevel)).toEqual(['lockfileVersion 5:1', 'packages 7:1', 'snapshots 16:1']);
    expect(listed(index.sections.get('packages'))).toEqual(["@scope/a@1.0.0 8:5", "it's@1.0.0 10:5", 'dA@1.0.0 11:5', 'plain@1.0.0 12:5']);
    expect(listed(index.sections.get('snapshots'))).toEqual([]);
  });

  it('keeps the previous document when a trailing marker opens none', () => {
    const index = indexYamlKeys('packages:\n  a@1.0.0: {}\n---\n', ['packages']);
    expect(listed(index.sections.get('packages'))).toEqual(['a@1.0.0 2:3']);
  });

  it('stops at broken quotes instead of guessing', () => {
    const text = "packages:\n  'open@1.0.0:\n  \"bad\\x@1\": {}\n  ok@1.0.0: {}\n";
    expect(listed(indexYamlKeys(text, ['packages']).sections.get('packages'))).toEqual(['ok@1.0.0 4:3']);
  });
});

describe('keyAt', () => {
  it.each([
    ['a: 1', 'a'],
    ['a:', 'a'],
    ['a:b: c', 'a:b'],
    ['git+https://x#y: {}', 'git+https://x#y'],
    ["'q''s': 1", "q's"],
    ['"q\\"s": 1', 'q"s'],
    ['- item', undefined],
    ['{a: 1}', undefined],
    ['no colon here', undefined],
    ['a:b', undefined],
  ])('%j → %j', (line, key) => {
    expect(keyAt(line, 0, line.length)).toBe(key);
  });
});
