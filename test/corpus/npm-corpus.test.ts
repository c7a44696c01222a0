/**
 * The npm parser against the shared real-world corpus (../shared/corpus, next to the checkout;
 * README there). For each case the unique name@version set of packages plus importers must
 * equal expected.json's `packages`, give or take `optionalPackages` (workspace members and
 * local folders, which parsers may report or not). Cases that expect an error must fail with
 * a pkgguard input error (exit code 3).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPkgguardError } from '../../src/core/errors.ts';
import type { DependencyGraph } from '../../src/core/graph.ts';
import npm from '../../src/lockfiles/npm.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/lockfiles/npm/', import.meta.url));

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

async function parseCase(dir: string, file: string): Promise<{ graph?: DependencyGraph; error?: unknown }> {
  const absolutePath = path.join(dir, file);
  try {
    return { graph: await npm.parse({ path: file, absolutePath, text: readFileSync(absolutePath, 'utf8') }) };
  } catch (error) {
    return { error };
  }
}

if (!existsSync(CORPUS)) {
  describe.skip('npm corpus: ../shared/corpus/lockfiles/npm is absent, so these cases were not run', () => {
    it('needs the corpus checkout beside the repository', () => {});
  });
} else {
  const cases = readdirSync(CORPUS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

  describe('npm corpus', () => {
    it('has cases', () => {
      expect(cases.length).toBeGreaterThan(0);
    });

    it.each(cases)('%s', async (name) => {
      const dir = path.join(CORPUS, name);
      const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
      const { graph, error } = await parseCase(dir, expected.lockfile);
      if (error !== undefined) {
        expect(expected.expectError, `unexpected error: ${error instanceof Error ? error.message : "non-Error thrown"}`).not.toBe(false);
        expect(isPkgguardError(error) && error.exitCode).toBe(3);
        return;
      }
      expect(expected.expectError, 'expected the parse to fail').not.toBe(true);
      const got = new Set([...graph!.importers, ...graph!.packages].map(key));
      const want = new Set(expected.packages.map(key));
      const optional = new Set((expected.optionalPackages ?? []).map(key));
      expect([...want].filter((entry) => !got.has(entry)), 'missing packages').toEqual([]);
      expect([...got].filter((entry) => !want.has(entry) && !optional.has(entry)), 'unexpected packages').toEqual([]);
    });
  });
}
