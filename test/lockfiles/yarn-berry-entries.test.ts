/**
 * The entries read straight off the scanned lines (yarn-berry-entries.ts): which files they
 * take, and that for every file, taken or declined, the parser's graph (or error) is the one
 * it gives when parseSyml reads the file and its data is checked entry by entry.
 */
import { describe, expect, it } from 'vitest';
import yarnBerry from '../../src/lockfiles/yarn-berry.ts';
import { berryEntries } from '../../src/lockfiles/yarn-berry-entries.ts';
import { scanBerrySyml } from '../../src/lockfiles/yarn-berry-syml.ts';
import { summaryOf } from './graph-summary.ts';
import { inline } from './yarn-fixtures.ts';

const HEAD = '__metadata:\n  version: 8\n  cacheKey: 10c0\n\n';
const ROOT = '"app@workspace:.":\n  version: 0.0.0-use.local\n  resolution: "app@workspace:."\n  dependencies:\n    a: "npm:^1.0.0"\n  languageName: unknown\n  linkType: soft\n\n';
const A = '"a@npm:^1.0.0":\n  version: 1.0.0\n  resolution: "a@npm:1.0.0"\n  dependencies:\n    b: "npm:^2.0.0"\n  checksum: 10c0/aa\n  languageName: node\n  linkType: hard\n\n';
const B = '"b@npm:^2.0.0":\n  version: 2.0.0\n  resolution: "b@npm:2.0.0"\n  languageName: node\n  linkType: hard\n\n';

/** The graph summary, or the error message, of a parse. */
async function outcome(text: string): Promise<string[] | string> {
  try {
    return summaryOf(await yarnBerry.parse(inline(text)));
  } catch (error) {
    return (error as Error).message;
  }
}

/** Asserts whether the lines reader takes `text`, and that the parse equals the one of the same YAML read by parseSyml. */
async function expectSameParse(text: string, taken: boolean): Promise<string[] | string> {
  const lines = scanBerrySyml(text);
  expect(lines).toBeDefined();
  expect(berryEntries(lines!, 'yarn.lock') !== undefined).toBe(taken);
  // A tab in a final comment: the same YAML, which only parseSyml reads.
  const slow = `${text}#\tread by parseSyml\n`;
  expect(scanBerrySyml(slow)).toBeUndefined();
  const result = await outcome(text);
  expect(result).toEqual(await outcome(slow));
  return result;
}

describe('yarn Berry entries off the scanned lines', () => {
  it('takes the style yarn writes, dependenciesMeta and peerDependenciesMeta included', async () => {
    const meta = A.replace('  checksum:', '  peerDependencies:\n    c: "*"\n  dependenciesMeta:\n    b:\n      optional: true\n  peerDependenciesMeta:\n    c:\n      optional: true\n  checksum:');
    expect(await expectSameParse(HEAD + ROOT + meta + B, true)).toEqual([
      'app@workspace:. app@0.0.0-use.local 5:1 [] directory . => a(prod npm:^1.0.0)->a@npm:1.0.0',
      'a@npm:1.0.0 a@1.0.0 13:1 [] registry => b(optional npm:^2.0.0)->b@npm:2.0.0, c(peerOptional *)->-',
      'b@npm:2.0.0 b@2.0.0 30:1 [optional] registry',
    ]);
  });

  it('takes a descriptor two headers name: the later header resolves it, the first places an entry listing it first', async () => {
    const second = '"b@npm:^2.0.0, b@npm:2.0.0":\n  version: 2.0.1\n  resolution: "b@npm:2.0.1"\n  languageName: node\n  linkType: hard\n\n';
    expect(await expectSameParse(HEAD + ROOT + A + B + second, true)).toEqual([
      'app@workspace:. app@0.0.0-use.local 5:1 [] directory . => a(prod npm:^1.0.0)->a@npm:1.0.0',
      'a@npm:1.0.0 a@1.0.0 13:1 [] registry => b(prod npm:^2.0.0)->b@npm:2.0.1',
      'b@npm:2.0.0 b@2.0.0 22:1 [] registry',
      'b@npm:2.0.1 b@2.0.1 22:1 [] registry',
    ]);
  });

  it.each([
    ['a repeated entry', HEAD + ROOT + A + B + B.replace('version: 2.0.0', 'version: 2.0.9')],
    ['a repeated field', HEAD + ROOT + A + B.replace('  version: 2.0.0\n', '  version: 2.0.0\n  version: 2.0.1\n')],
    ['a repeated dependency', HEAD + ROOT + A.replace('    b: "npm:^2.0.0"\n', '    b: "npm:^2.0.0"\n    b: "npm:^9"\n') + B],
    ['a repeated dependency in a map of over 64', HEAD + ROOT + A.replace('    b: "npm:^2.0.0"\n', `${Array.from({ length: 70 }, (_, i) => `    d${i}: "npm:^1"\n`).join('')}    d3: "npm:^2"\n`) + B],
    ['a repeated meta name', HEAD + ROOT + A.replace('  checksum:', '  dependenciesMeta:\n    b:\n      optional: true\n    b:\n      built: false\n  checksum:') + B],
    ['an entry key that is an array index', HEAD + ROOT + A + B + '"7":\n  version: 1.0.0\n  resolution: "x@npm:1.0.0"\n'],
    ['a dependency name that is an array index', HEAD + ROOT + A.replace('    b: "npm:^2.0.0"\n', '    b: "npm:^2.0.0"\n    "12": "npm:^1"\n') + B],
    ['spaces around a key', HEAD + ROOT + A + B.replace('"b@npm:^2.0.0":', '" b@npm:^2.0.0":')],
    ['an entry that is a scalar', HEAD + ROOT + A + B + '"c@npm:1": x\n'],
    ['an empty entry', HEAD + ROOT + A + B + '"c@npm:1":\n'],
    ['an entry without a resolution', HEAD + ROOT + A + B.replace('  resolution: "b@npm:2.0.0"\n', '')],
    ['a version that is a mapping', HEAD + ROOT + A + B.replace('  version: 2.0.0\n', '  version:\n    x: y\n')],
    ['dependencies that are a scalar', HEAD + ROOT + A.replace('  dependencies:\n    b: "npm:^2.0.0"\n', '  dependencies: b\n') + B],
    ['an empty dependencies field', HEAD + ROOT + A.replace('  dependencies:\n    b: "npm:^2.0.0"\n', '  dependencies:\n') + B],
    ['a dependency range that is a mapping', HEAD + ROOT + A.replace('    b: "npm:^2.0.0"\n', '    b:\n      x: y\n') + B],
    ['a meta value that is a scalar', HEAD + ROOT + A.replace('  checksum:', '  dependenciesMeta:\n    b: optional\n  checksum:') + B],
    ['no __metadata', ROOT + A + B],
    ['two __metadata blocks', HEAD + ROOT + A + B + '__metadata:\n  version: 3\n'],
    ['a descriptor named __metadata', HEAD + ROOT + A + B + '"__metadata, c@npm:1":\n  version: 1.0.0\n  resolution: "c@npm:1.0.0"\n'],
  ])('declines %s, and parses it as parseSyml reads it', async (_name, text) => {
    await expectSameParse(text, false);
  });
});
