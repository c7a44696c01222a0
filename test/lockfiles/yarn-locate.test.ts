import { describe, expect, it } from 'vitest';
import { indexEntryHeaders, scanEntryHeaders, splitHeader } from '../../src/lockfiles/locate/yarn.ts';
import { fixture } from './yarn-fixtures.ts';

describe('splitHeader', () => {
  it('splits every way yarn writes a header', () => {
    expect(splitHeader('debug@^2.6.9')).toEqual(['debug@^2.6.9']);
    expect(splitHeader('wrappy@1, wrappy@1.0.2')).toEqual(['wrappy@1', 'wrappy@1.0.2']);
    expect(splitHeader('"@s/a@^1", "@s/a@^1.2"')).toEqual(['@s/a@^1', '@s/a@^1.2']);
    expect(splitHeader('"str@npm:string-width@4.2.3, string-width@npm:^4.2.0"')).toEqual(['str@npm:string-width@4.2.3', 'string-width@npm:^4.2.0']);
    expect(splitHeader('ms@2.1.2, "ms@npm:dry-uninstall@0.3.0"')).toEqual(['ms@2.1.2', 'ms@npm:dry-uninstall@0.3.0']);
  });

  it('unquotes JSON escapes and YAML single quotes', () => {
    expect(splitHeader('"a@\\u0031"')).toEqual(['a@1']);
    expect(splitHeader("'it''s@npm:1'")).toEqual(["it's@npm:1"]);
  });

  it('gives up on an unterminated quote or a broken escape', () => {
    expect(splitHeader('"a@1')).toBeUndefined();
    expect(splitHeader('"a@\\x"')).toBeUndefined();
  });
});

describe('scanEntryHeaders', () => {
  it('finds every entry header at column 1 and nothing indented or commented', () => {
    const text = [
      '# yarn lockfile v1',
      '',
      'a@1, a@^1:',
      '  version "1.0.0"',
      '  dependencies:',
      '    b "2"',
      '"b@2":',
      '# c@1:',
      '  version "2.0.0"',
      '__metadata:',
      '"x@npm:1": inline value',
      'not a header',
      '"broken@1:',
      '? "long@npm:1, long@npm:2"',
      ':',
    ].join('\n');
    expect(scanEntryHeaders(text)).toEqual([
      { descriptors: ['a@1', 'a@^1'], line: 3, column: 1 },
      { descriptors: ['b@2'], line: 7, column: 1 },
      { descriptors: ['__metadata'], line: 10, column: 1 },
      { descriptors: ['x@npm:1'], line: 11, column: 1 },
      { descriptors: ['long@npm:1', 'long@npm:2'], line: 14, column: 1 },
    ]);
  });

  it('counts CRLF lines once', () => {
    expect(scanEntryHeaders('a@1:\r\n  version "1"\r\n\r\nb@1:\r\n')).toEqual([
      { descriptors: ['a@1'], line: 1, column: 1 },
      { descriptors: ['b@1'], line: 4, column: 1 },
    ]);
  });
});

describe('indexEntryHeaders', () => {
  it('maps every descriptor of a real Berry file to its header, the first header winning', () => {
    const index = indexEntryHeaders(fixture('yarn-berry', 'workspaces').text);
    expect(Object.fromEntries(index)).toEqual({
      __metadata: { line: 4, column: 1 },
      '@fixture/a@workspace:packages/a': { line: 8, column: 1 },
      '@fixture/b@workspace:^': { line: 17, column: 1 },
      '@fixture/b@workspace:packages/b': { line: 17, column: 1 },
      'debug@npm:2.6.9': { line: 26, column: 1 },
      'fixture-workspaces@workspace:.': { line: 35, column: 1 },
      'ms@npm:2.0.0': { line: 43, column: 1 },
      'ms@npm:2.1.3': { line: 50, column: 1 },
      'once@npm:^1.4.0': { line: 57, column: 1 },
      'wrappy@npm:1': { line: 66, column: 1 },
      'wrappy@npm:1.0.2': { line: 66, column: 1 },
    });
    expect(indexEntryHeaders('a@1:\n\na@1:\n').get('a@1')).toEqual({ line: 1, column: 1 });
  });
});
