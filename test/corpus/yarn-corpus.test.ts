/**
 * The yarn parsers against the shared real-world corpus (../shared/corpus, next to the
 * checkout; README there): yarn-v1 through the classic parser, yarn-berry through Berry's,
 * each file dispatched by `accepts()` as detection does. For each case the unique
 * name@version set of packages plus importers must equal expected.json's `packages`, give or
 * take `optionalPackages` (workspace members and local folders, which parsers may report or
 * not). Cases that expect an error must fail with a pkgguard input error (exit code 3).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPkgguardError } from '../../src/core/errors.ts';
import type { DependencyGraph } from '../../src/core/graph.ts';
import type { LockfileParser } from '../../src/core/parser.ts';
import { yarnBerry, yarnClassic } from '../../src/lockfiles/yarn.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/lockfiles/', import.meta.url));

interface NameVersion {
  readonly name: string;
  readonly version: string;
}

interface Expected {
  readonly lockfile: string;
  readonly expectError: boolean | 'either';
  readonly packages: readonly NameVersion[];
  readonly optionalPackages?: readonly NameVersion[];
}

const key = ({ name, version }: NameVersion): string => `${name}@${version}`;

/**
 * Cases whose expected.json we believe is wrong, with the reason and the exact set we assert
 * instead. Listed here, not special-cased in the parser.
 */
const DISPUTED: Readonly<Record<string, { readonly reason: string; readonly packages: readonly string[] }>> = {
  'snyk-aliases-yarn-lock-v1-with-resolutions': {
    reason:
      'the entry "ms@2.1.2, ms@npm:dry-uninstall@0.3.0" (a `resolutions` override) holds one package, dry-uninstall@0.3.0 ' +
      '(its resolved URL is dry-uninstall-0.3.0.tgz) installed as ms; the per-key reference parser also lists ms@0.3.0, ' +
      'a release of ms that is not in the project',
    packages: ['debug@4.3.1', 'dry-uninstall@0.3.0'],
  },
};

async function parseCase(
  parser: LockfileParser,
  dir: string,
  file: string,
): Promise<{ graph?: DependencyGraph; error?: unknown; accepted: boolean }> {
  const absolutePath = path.join(dir, file);
  const input = { path: file, absolutePath, text: readFileSync(absolutePath, 'utf8') };
  const accepted = parser.accepts(input);
  try {
    return { graph: await parser.parse(input), accepted };
  } catch (error) {
    return { error, accepted };
  }
}

for (const [dirName, parser] of [
  ['yarn-v1', yarnClassic],
  ['yarn-berry', yarnBerry],
] as const) {
  const corpus = path.join(CORPUS, dirName);
  if (!existsSync(corpus)) {
    describe.skip(`${parser.format} corpus: ../shared/corpus/lockfiles/${dirName} is absent, so these cases were not run`, () => {
      it('needs the corpus checkout beside the repository', () => {});
    });
    continue;
  }
  const cases = readdirSync(corpus, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

  describe(`${parser.format} corpus (${dirName})`, () => {
    it('has cases', () => {
      expect(cases.length).toBeGreaterThan(0);
    });

    it.each(cases)('%s', async (name) => {
      const dir = path.join(corpus, name);
      const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
      const { graph, error, accepted } = await parseCase(parser, dir, expected.lockfile);
      expect(accepted, `${parser.format} must claim this file`).toBe(true);
      if (error !== undefined) {
        expect(expected.expectError, `unexpected error: ${error instanceof Error ? error.message : 'non-Error thrown'}`).not.toBe(false);
        expect(isPkgguardError(error) && error.exitCode).toBe(3);
        return;
      }
      expect(expected.expectError, 'expected the parse to fail').not.toBe(true);
      const got = new Set([...graph!.importers, ...graph!.packages].map(key));
      const disputed = Object.hasOwn(DISPUTED, name) ? DISPUTED[name] : undefined;
      if (disputed) {
        expect([...got].sort(), disputed.reason).toEqual([...disputed.packages].sort());
        return;
      }
      const want = new Set(expected.packages.map(key));
      const optional = new Set((expected.optionalPackages ?? []).map(key));
      expect([...want].filter((entry) => !got.has(entry)), 'missing packages').toEqual([]);
      expect([...got].filter((entry) => !want.has(entry) && !optional.has(entry)), 'unexpected packages').toEqual([]);
    });
  });
}
