/**
 * The bun parser against the shared real-world corpus (../shared/corpus, next to the checkout;
 * README there). For each case the unique name@version set of packages plus importers must
 * equal expected.json's `packages`, give or take `optionalPackages`. Cases that expect an
 * error must fail with a pkgguard input error (exit code 3).
 *
 * One rule on top of the npm corpus test: an expected entry naming one of the lockfile's
 * workspaces is optional too. The corpus README counts workspace members among the entries
 * parsers legitimately differ on, but its bun reference parser listed them from their
 * `"name@workspace:path"` tuples, with version "" (trivy-bun-multiple-ws lists `my-app@` as
 * required and `my-app@1.0.0` as optional); pkgguard reports each workspace once, as an
 * importer, with the version `workspaces` records.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPkgguardError } from '../../src/core/errors.ts';
import type { DependencyGraph } from '../../src/core/graph.ts';
import bun from '../../src/lockfiles/bun.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/lockfiles/bun/', import.meta.url));

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
    return { graph: await bun.parse({ path: file, absolutePath, text: readFileSync(absolutePath, 'utf8') }) };
  } catch (error) {
    return { error };
  }
}

if (!existsSync(CORPUS)) {
  describe.skip('bun corpus: ../shared/corpus/lockfiles/bun is absent, so these cases were not run', () => {
    it('needs the corpus checkout beside the repository', () => {});
  });
} else {
  const cases = readdirSync(CORPUS, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

  describe('bun corpus', () => {
    it('has cases', () => {
      expect(cases.length).toBeGreaterThan(0);
    });

    it.each(cases)('%s', async (name) => {
      const dir = path.join(CORPUS, name);
      const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
      const { graph, error } = await parseCase(dir, expected.lockfile);
      if (error !== undefined) {
        expect(expected.expectError, `unexpected error: ${error instanceof Error ? error.message : 'non-Error thrown'}`).not.toBe(false);
        expect(isPkgguardError(error) && error.exitCode).toBe(3);
        return;
      }
      expect(expected.expectError, 'expected the parse to fail').not.toBe(true);
      const workspaceNames = new Set(graph!.importers.map((importer) => importer.name));
      const got = new Set([...graph!.importers, ...graph!.packages].map(key));
      const want = new Set(expected.packages.filter((entry) => !workspaceNames.has(entry.name)).map(key));
      const optional = new Set([...(expected.optionalPackages ?? []), ...expected.packages.filter((entry) => workspaceNames.has(entry.name))].map(key));
      expect([...want].filter((entry) => !got.has(entry)), 'missing packages').toEqual([]);
      expect([...got].filter((entry) => !want.has(entry) && !optional.has(entry)), 'unexpected packages').toEqual([]);
    });
  });
}
