/**
 * CheckTester: ESLint's RuleTester for pkgguard checks.
 *
 * ```ts
 * testCheck(integrity, {
 *   valid: [{ name: 'sha512 everywhere', graph: graphOf([{ name: 'a' }]) }],
 *   invalid: [{
 *     name: 'no integrity',
 *     lockfile: 'npm/integrity-missing',         // fixtures/lockfiles/npm/integrity-missing/
 *     findings: [{ ruleId: 'integrity/missing', package: 'util-deprecate@1.0.2', line: 160, column: 5 }],
 *   }],
 * });
 * ```
 *
 * Every case goes through the real pipeline: fixture lockfiles through the real parser of their
 * format, options through `selectChecks` (so a check's option schema is exercised), findings
 * through `runChecks` (so severities, messages and locations are the engine's). A case fails when
 * the check crashes, when a valid case reports anything, or when an invalid case reports more,
 * fewer or different findings than listed, in the engine's order (file, line, column, rule).
 * Only the fields an expected finding names are compared, except `ruleId`, `package`, `line`
 * and `column`, which are always compared; `data` is compared whole, without the `name` and
 * `version` the engine adds to every finding.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AnyCheck, Logger } from '../../src/core/check.ts';
import { runChecks } from '../../src/core/engine.ts';
import type { Finding, FindingData, FixHint } from '../../src/core/finding.ts';
import type { DependencyGraph } from '../../src/core/graph.ts';
import { selectChecks } from '../../src/core/select.ts';
import type { Severity } from '../../src/core/severity.ts';
import { LOCKFILE_PARSERS } from '../../src/lockfiles/parsers.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const LOCKFILE_FIXTURES = path.join(REPO_ROOT, 'fixtures', 'lockfiles');

export interface ExpectedFinding {
  readonly ruleId: string;
  /** `name@version`. */
  readonly package: string;
  readonly line: number;
  readonly column: number;
  /** The package's id (npm install location), to tell copies of one name@version apart. */
  readonly id?: string | undefined;
  readonly severity?: Severity | undefined;
  readonly message?: string | undefined;
  /** The finding's data without the `name` and `version` every finding carries. */
  readonly data?: FindingData | undefined;
  readonly fix?: FixHint | undefined;
}

export interface CheckCase {
  readonly name: string;
  /** An inline graph (test/helpers/graph.ts). */
  readonly graph?: DependencyGraph | undefined;
  /** A fixture: `<format>/<scenario>`, read from fixtures/lockfiles/ with that format's parser. */
  readonly lockfile?: string | undefined;
  /** The check's options as a user would write them in the config. */
  readonly options?: Readonly<Record<string, unknown>> | undefined;
  readonly offline?: boolean | undefined;
}

export interface InvalidCheckCase extends CheckCase {
  readonly findings: readonly ExpectedFinding[];
}

export interface CheckTests {
  readonly valid: readonly CheckCase[];
  readonly invalid: readonly InvalidCheckCase[];
}

const ALWAYS_COMPARED = ['ruleId', 'package', 'line', 'column'] as const;

/** Parses `fixtures/lockfiles/<format>/<scenario>/<lockfile>` with the real parser of `<format>`. */
export async function loadFixtureGraph(fixture: string): Promise<DependencyGraph> {
  const [format, scenario, ...rest] = fixture.split('/');
  const parser = LOCKFILE_PARSERS.find((candidate) => candidate.format === format);
  if (!parser || !scenario || rest.length > 0) {
    throw new Error(`lockfile fixture "${fixture}" must be <format>/<scenario> with a known format`);
  }
  const dir = path.join(LOCKFILE_FIXTURES, parser.format, scenario);
  const filename = parser.filenames.find((name) => existsSync(path.join(dir, name)));
  if (!filename) throw new Error(`no ${parser.filenames.join(' or ')} in ${dir}`);
  const absolutePath = path.join(dir, filename);
  return parser.parse({ path: filename, absolutePath, text: await readFile(absolutePath, 'utf8') });
}

const silentLogger: Logger = { debug() {}, warn() {} };

/** Runs one case through selectChecks and runChecks; fails on a crash or an unfilled message. */
export async function runCheckCase(check: AnyCheck, testCase: CheckCase): Promise<Finding[]> {
  if ((testCase.graph === undefined) === (testCase.lockfile === undefined)) {
    throw new Error(`case "${testCase.name}" needs exactly one of "graph" and "lockfile"`);
  }
  const graph = testCase.graph ?? (await loadFixtureGraph(testCase.lockfile ?? ''));
  const { id } = check.meta;
  const settings = testCase.options === undefined ? {} : { [id]: { options: testCase.options } };
  const { selected } = await selectChecks([check], { offline: false, settings });
  const result = await runChecks([graph], selected, {
    offline: testCase.offline ?? false,
    signal: new AbortController().signal,
    log: silentLogger,
  });
  // A crash or an unavailable source is never an expected outcome of a check test.
  const [incomplete] = result.incomplete;
  if (incomplete) throw new Error(`check did not complete: ${incomplete.message}\n${incomplete.stack ?? ''}`);
  for (const finding of result.findings) {
    // An unfilled placeholder means the check forgot a data key its message uses.
    expect(finding.message, `${finding.ruleId}: ${finding.message}`).not.toMatch(/\{\{|\}\}/);
    expect(finding.helpUri).toBe(check.meta.docs);
  }
  return result.findings;
}

function dataWithoutPackage(finding: Finding): FindingData {
  const data: Record<string, string | number> = { ...finding.data };
  // Dropped only when they are the engine's values, so a check that overwrites them shows up.
  if (data['name'] === finding.package.name) delete data['name'];
  if (data['version'] === finding.package.version) delete data['version'];
  return data;
}

/** The finding reduced to the fields `expected` names (all four core fields when there is none). */
function project(finding: Finding, expected: ExpectedFinding | undefined): Record<string, unknown> {
  const full: Record<string, unknown> = {
    ruleId: finding.ruleId,
    package: `${finding.package.name}@${finding.package.version}`,
    line: finding.location.line,
    column: finding.location.column,
    id: finding.package.id,
    severity: finding.severity,
    message: finding.message,
    data: dataWithoutPackage(finding),
    fix: finding.fix,
  };
  const keys = expected ? Object.keys(expected) : ALWAYS_COMPARED;
  return Object.fromEntries([...new Set([...ALWAYS_COMPARED, ...keys])].map((key) => [key, full[key]]));
}

/** Fails unless `findings` are exactly `expected`, in order (see the file comment for what is compared). */
export function expectFindings(findings: readonly Finding[], expected: readonly ExpectedFinding[]): void {
  const actual = findings.map((finding, index) => project(finding, expected[index]));
  expect(actual).toEqual(expected);
}

export function testCheck(check: AnyCheck, tests: CheckTests): void {
  describe(`check "${check.meta.id}"`, () => {
    describe('valid', () => {
      for (const testCase of tests.valid) {
        it(testCase.name, async () => {
          expectFindings(await runCheckCase(check, testCase), []);
        });
      }
    });
    describe('invalid', () => {
      for (const testCase of tests.invalid) {
        it(testCase.name, async () => {
          if (testCase.findings.length === 0) throw new Error(`invalid case "${testCase.name}" lists no findings`);
          expectFindings(await runCheckCase(check, testCase), testCase.findings);
        });
      }
    });
  });
}
