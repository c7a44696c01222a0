/**
 * The typosquat check through the built CLI, on fixtures/projects/typosquat: a real npm
 * lockfile (react, preact, chalk, chai, colors, color and their dependencies) into which the
 * entries of six historical squats were written by hand, since their tarballs are gone.
 * The legitimate look-alike pairs must stay quiet; every squat must be reported, at its line.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonFinding } from '../../src/reporters/json.ts';
import { assertBuilt, parseReport, project, runCli } from './helpers.ts';

beforeAll(assertBuilt);

const FIXTURE = project('typosquat');

/** What a script reading the report relies on; the fix prose is covered by the unit tests. */
function essentials(finding: JsonFinding) {
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    package: `${finding.package.name}@${finding.package.version}`,
    line: finding.location.line,
    column: finding.location.column,
    message: finding.message,
    data: finding.data,
  };
}

const embedded = (target: string, transformation: string, targetDownloads: number) => ({
  target,
  transformation,
  targetDownloads,
  popularitySource: 'npm.tsv 2026-11-22',
});

describe('typosquat end to end', () => {
  it('reports every historical squat, at its lockfile line, and leaves the popular pairs alone', async () => {
    const result = await runCli(['audit', FIXTURE, '--checks', 'typosquat', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const report = parseReport(result.stdout);
    expect(report.lockfiles).toEqual([{ path: 'package-lock.json', format: 'npm', formatVersion: '3', packageCount: 29 }]);
    expect(report.findings.map(essentials)).toEqual([
      {
        ruleId: 'typosquat/scope-confusion',
        severity: 'high',
        package: '@typescript_eslinter/eslint@8.0.0',
        line: 24,
        column: 5,
        message:
          '@typescript_eslinter/eslint imitates a popular scoped name: did you mean `@typescript-eslint/eslint-plugin`? look-alike scope `@typescript_eslinter` (for `@typescript-eslint`)',
        data: {
          name: '@typescript_eslinter/eslint',
          version: '8.0.0',
          ...embedded('@typescript-eslint/eslint-plugin', 'look-alike scope `@typescript_eslinter` (for `@typescript-eslint`)', 325_223_728),
        },
      },
      {
        ruleId: 'typosquat/scope-confusion',
        severity: 'moderate',
        package: '@typescript_eslinter/prettier@1.0.0',
        line: 33,
        column: 5,
        message:
          '@typescript_eslinter/prettier imitates a popular scoped name: did you mean `prettier`? moved into the unknown scope `@typescript_eslinter`',
        data: {
          name: '@typescript_eslinter/prettier',
          version: '1.0.0',
          ...embedded('prettier', 'moved into the unknown scope `@typescript_eslinter`', 302_654_631),
        },
      },
      {
        ruleId: 'typosquat/lookalike',
        severity: 'high',
        package: 'crossenv@6.1.1',
        line: 159,
        column: 5,
        message: 'crossenv looks like a typosquat: did you mean `cross-env`? separator `-` removed',
        data: {
          name: 'crossenv',
          version: '6.1.1',
          ...embedded('cross-env', 'separator `-` removed', 59_853_222),
          candidateDownloads: 10_533,
        },
      },
      {
        ruleId: 'typosquat/lookalike',
        severity: 'high',
        package: 'jquery.js@3.2.2',
        line: 201,
        column: 5,
        message: 'jquery.js looks like a typosquat: did you mean `jquery`? suffix `.js` added',
        data: { name: 'jquery.js', version: '3.2.2', ...embedded('jquery', 'suffix `.js` added', 79_303_658) },
      },
      {
        ruleId: 'typosquat/lookalike',
        severity: 'high',
        package: 'mongose@1.0.2',
        line: 234,
        column: 5,
        message: 'mongose looks like a typosquat: did you mean `mongoose`? doubled `o` written once',
        data: { name: 'mongose', version: '1.0.2', ...embedded('mongoose', 'doubled `o` written once', 17_538_772) },
      },
      {
        ruleId: 'typosquat/scope-confusion',
        severity: 'high',
        package: 'types-node@1.6.0',
        line: 301,
        column: 5,
        message: 'types-node imitates a popular scoped name: did you mean `@types/node`? scope `@types/` written as part of the name',
        data: {
          name: 'types-node',
          version: '1.6.0',
          ...embedded('@types/node', 'scope `@types/` written as part of the name', 1_033_889_329),
        },
      },
    ]);
    expect(report.summary).toMatchObject({ total: 6, failing: 6, incomplete: false });
  });

  it('reads a popularList next to the configuration, and applies allow, protect and the configured severity', async () => {
    const result = await runCli(['audit', FIXTURE, '--checks', 'typosquat', '--format', 'json', '--config', `${FIXTURE}/team.config.json`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(parseReport(result.stdout).findings.map(essentials)).toEqual([
      {
        ruleId: 'typosquat/lookalike',
        severity: 'moderate',
        package: 'jquery.js@3.2.2',
        line: 201,
        column: 5,
        message: 'jquery.js looks like a typosquat: did you mean `jquery`? suffix `.js` added',
        data: {
          name: 'jquery.js',
          version: '3.2.2',
          target: 'jquery',
          transformation: 'suffix `.js` added',
          targetProtected: 'yes',
          popularitySource: 'typosquat.protect',
        },
      },
      {
        ruleId: 'typosquat/lookalike',
        severity: 'moderate',
        package: 'mongose@1.0.2',
        line: 234,
        column: 5,
        message: 'mongose looks like a typosquat: did you mean `mongoose`? doubled `o` written once',
        data: {
          name: 'mongose',
          version: '1.0.2',
          target: 'mongoose',
          transformation: 'doubled `o` written once',
          targetDownloads: 17_538_772,
          popularitySource: 'team-popular.txt',
        },
      },
      {
        ruleId: 'typosquat/scope-confusion',
        severity: 'moderate',
        package: 'types-node@1.6.0',
        line: 301,
        column: 5,
        message: 'types-node imitates a popular scoped name: did you mean `@types/node`? scope `@types/` written as part of the name',
        data: {
          name: 'types-node',
          version: '1.6.0',
          target: '@types/node',
          transformation: 'scope `@types/` written as part of the name',
          targetProtected: 'yes',
          popularitySource: 'team-popular.txt',
        },
      },
    ]);
  });

  it('fails with a configuration error, exit 2, when the popularList cannot be read', async () => {
    const result = await runCli(['audit', FIXTURE, '--offline', '--config', `${FIXTURE}/missing-list.config.json`]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'pkgguard: missing-list.config.json: checks.typosquat.popularList: cannot read no-such-list.txt (ENOENT)\n' +
        '  hint: the path is relative to the directory of missing-list.config.json\n',
    );
  });
});
