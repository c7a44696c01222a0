/**
 * One suite per lockfile format against the shared real-world corpus (../shared/corpus, next
 * to the checkout; README there). For each case the unique name@version set the parser reports
 * must equal expected.json's `packages`, give or take `optionalPackages` (entries on which good
 * parsers legitimately differ). Cases that expect an error must fail with a pkgguard input
 * error (exit code 3); "either" accepts both outcomes. The suite is skipped, visibly, when the
 * corpus is absent.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isPkgguardError } from '../../src/core/errors.ts';
import type { DependencyGraph } from '../../src/core/graph.ts';
import type { LockfileParser } from '../../src/core/parser.ts';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/lockfiles/', import.meta.url));

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

/** A case whose expected.json we believe is wrong: the reason, and the exact set asserted instead. */
export interface DisputedCase {
  readonly reason: string;
  readonly packages: readonly string[];
}

export interface CorpusSuite {
  /** Folder under corpus/lockfiles, e.g. "npm" or "yarn-v1". */
  readonly dir: string;
  readonly parser: LockfileParser;
  /** Suite title; default "<dir> corpus". */
  readonly title?: string | undefined;
  /** Lockfile name when expected.json has none. */
  readonly defaultLockfile?: string | undefined;
  /** Count importers (workspaces) as reported packages too. */
  readonly includeImporters: boolean;
  /** An expected entry naming one of the lockfile's workspaces is optional (see the bun suite). */
  readonly workspaceEntriesOptional?: boolean | undefined;
  /** Also assert that the parser's `accepts()` claims every file, as detection needs. */
  readonly mustAccept?: boolean | undefined;
  readonly disputed?: Readonly<Record<string, DisputedCase>> | undefined;
}

const key = ({ name, version }: NameVersion): string => `${name}@${version}`;

async function parseCase(parser: LockfileParser, dir: string, file: string): Promise<{ graph?: DependencyGraph; error?: unknown; accepted: boolean }> {
  const absolutePath = path.join(dir, file);
  const input = { path: file, absolutePath, text: readFileSync(absolutePath, 'utf8') };
  const accepted = parser.accepts(input);
  try {
    return { graph: await parser.parse(input), accepted };
  } catch (error) {
    return { error, accepted };
  }
}

export function corpusSuite(suite: CorpusSuite): void {
  const corpus = path.join(CORPUS, suite.dir);
  const title = suite.title ?? `${suite.dir} corpus`;
  if (!existsSync(corpus)) {
    describe.skip(`${title}: ../shared/corpus/lockfiles/${suite.dir} is absent, so these cases were not run`, () => {
      it('needs the corpus checkout beside the repository', () => {});
    });
    return;
  }
  const cases = readdirSync(corpus, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

  describe(title, () => {
    it('has cases', () => {
      expect(cases.length).toBeGreaterThan(0);
    });

    it.each(cases)('%s', async (name) => {
      const dir = path.join(corpus, name);
      const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
      const file = expected.lockfile ?? suite.defaultLockfile;
      if (file === undefined) throw new Error(`${name}: expected.json names no lockfile`);
      const { graph, error, accepted } = await parseCase(suite.parser, dir, file);
      if (suite.mustAccept) expect(accepted, `${suite.parser.format} must claim this file`).toBe(true);
      if (error !== undefined) {
        expect(expected.expectError, `unexpected error: ${error instanceof Error ? error.message : 'non-Error thrown'}`).not.toBe(false);
        expect(isPkgguardError(error) && error.exitCode).toBe(3);
        return;
      }
      expect(expected.expectError, 'expected the parse to fail').not.toBe(true);
      const reported = suite.includeImporters ? [...graph!.importers, ...graph!.packages] : graph!.packages;
      const got = new Set(reported.map(key));
      const disputed = suite.disputed && Object.hasOwn(suite.disputed, name) ? suite.disputed[name] : undefined;
      if (disputed) {
        expect([...got].sort(), disputed.reason).toEqual([...disputed.packages].sort());
        return;
      }
      const workspaces = new Set(suite.workspaceEntriesOptional ? graph!.importers.map((importer) => importer.name) : []);
      const want = new Set(expected.packages.filter((entry) => !workspaces.has(entry.name)).map(key));
      const optional = new Set(
        [...(expected.optionalPackages ?? []), ...expected.packages.filter((entry) => workspaces.has(entry.name))].map(key),
      );
      expect([...want].filter((entry) => !got.has(entry)), 'missing packages').toEqual([]);
      expect([...got].filter((entry) => !want.has(entry) && !optional.has(entry)), 'unexpected packages').toEqual([]);
    });
  });
}
