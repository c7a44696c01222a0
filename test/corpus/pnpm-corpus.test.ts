/**
 * The pnpm parser against the shared real-world corpus (../shared/corpus, next to the
 * checkout; README there). For each case the unique name@version set of `graph.packages` must
 * equal expected.json's `packages`, give or take `optionalPackages` (local folders and other
 * entries parsers may report or not). Cases that expect an error must fail with a pkgguard
 * input error (exit code 3); "either" accepts both outcomes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPkgguardError } from '../../src/core/errors.ts';
import type { DependencyGraph } from '../../src/core/graph.ts';
import pnpm from '../../src/lockfiles/pnpm.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/lockfiles/pnpm/', import.meta.url));

interface NameVersion {
  readonly name: string;
  readonly version: string;
}

interface Expected {
  readonly lockfile?: string | undefined;
  readonly expectError: boolean | 'either';
  readonly packages: readonly NameVersion[];
  readonly optionalPackages?: readonly NameVersion[] | undefined;
}

const key = ({ name, version }: NameVersion): string => `${name}@${version}`;

async function parseCase(dir: string, file: string): Promise<{ graph?: DependencyGraph; error?: unknown }> {
  const absolutePath = path.join(dir, file);
  try {
    return { graph: await pnpm.parse({ path: file, absolutePath, text: readFileSync(absolutePath, 'utf8') }) };
  } catch (error) {
    return { error };
  }
}

if (!existsSync(CORPUS)) {
  describe.skip('pnpm corpus: ../shared/corpus/lockfiles/pnpm is absent, so these cases were not run', () => {
    it('needs the corpus checkout beside the repository', () => {});
  });
} else {
  const cases = readdirSync(CORPUS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

  describe('pnpm corpus', () => {
    it('has cases', () => {
      expect(cases.length).toBeGreaterThan(0);
    });

    it.each(cases)('%s', async (name) => {
      const dir = path.join(CORPUS, name);
      const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
      const { graph, error } = await parseCase(dir, expected.lockfile ?? 'pnpm-lock.yaml');
      if (error !== undefined) {
        expect(expected.expectError, `unexpected error: ${error instanceof Error ? error.message : 'non-Error thrown'}`).not.toBe(false);
        expect(isPkgguardError(error) && error.exitCode).toBe(3);
        return;
      }
      expect(expected.expectError, 'expected the parse to fail').not.toBe(true);
      const got = new Set(graph!.packages.map(key));
      const want = new Set(expected.packages.map(key));
      const optional = new Set((expected.optionalPackages ?? []).map(key));
      expect([...want].filter((entry) => !got.has(entry)), 'missing packages').toEqual([]);
      expect([...got].filter((entry) => !want.has(entry) && !optional.has(entry)), 'unexpected packages').toEqual([]);
    });
  });
}
