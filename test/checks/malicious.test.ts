/**
 * The `malicious` check through the real engine on fixtures/projects/advisories, with the
 * advisory layer replaced by an injected lookup (see test/checks/advisory.test.ts for what the
 * two checks share: the lookup, privacy, skips).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type * as AdvisoriesModule from '../../src/advisories/index.ts';
import advisory from '../../src/checks/advisory.ts';
import malicious from '../../src/checks/malicious.ts';
import type { AnyCheck, Logger } from '../../src/core/check.ts';
import { runChecks, type RunChecksResult } from '../../src/core/engine.ts';
import type { DependencyGraph } from '../../src/core/graph.ts';
import { LOCKFILE_PARSERS } from '../../src/lockfiles/parsers.ts';
import { REPO_ROOT } from '../helpers/check-tester.ts';
import { createFakeLookup, type FakeLookup, UA_PARSER_MALWARE } from './advisory/fake-lookup.ts';

const fake = vi.hoisted(() => ({ current: undefined as FakeLookup | undefined }));

vi.mock('../../src/advisories/index.ts', async (importOriginal) =>
  (await import('./advisory/mock-lookup.ts')).withFakeLookup(await importOriginal<typeof AdvisoriesModule>(), fake),
);

const silent: Logger = { debug() {}, warn() {} };

async function fixtureGraph(): Promise<DependencyGraph> {
  const parser = LOCKFILE_PARSERS.find((candidate) => candidate.format === 'npm')!;
  const absolutePath = path.join(REPO_ROOT, 'fixtures', 'projects', 'advisories', 'package-lock.json');
  return parser.parse({ path: 'package-lock.json', absolutePath, text: await readFile(absolutePath, 'utf8') });
}

async function run(checks: readonly AnyCheck[]): Promise<RunChecksResult> {
  return runChecks(
    [await fixtureGraph()],
    checks.map((check) => ({ check, options: undefined })),
    { offline: false, signal: new AbortController().signal, log: silent },
  );
}

const COMPROMISED = 'treat every machine that installed it as compromised and rotate the credentials it could read';

beforeEach(() => {
  fake.current = createFakeLookup();
});

describe('check "malicious"', () => {
  it('reports every malware release as critical under its advisory id, with its fix', async () => {
    const result = await run([malicious]);
    expect(
      result.findings.map((f) => ({
        ruleId: f.ruleId,
        package: `${f.package.name}@${f.package.version}`,
        line: f.location.line,
        severity: f.severity,
        message: f.message,
        fix: f.fix,
      })),
    ).toEqual([
      {
        ruleId: 'GHSA-mh6f-8j2x-4483',
        package: 'event-stream@3.3.6',
        line: 32,
        severity: 'critical',
        message:
          'event-stream@3.3.6 is a known malicious release: GHSA-mh6f-8j2x-4483 (Critical severity vulnerability that affects event-stream and flatmap-stream); fixed in 4.0.0',
        fix: {
          description: `Upgrade event-stream to 4.0.0 or later (the project declares 3.3.6); then ${COMPROMISED}`,
          command: 'npm install event-stream@4.0.0',
        },
      },
      {
        ruleId: 'GHSA-mh6f-8j2x-4483',
        package: 'flatmap-stream@0.1.1',
        line: 48,
        severity: 'critical',
        message:
          'flatmap-stream@0.1.1 is a known malicious release: GHSA-mh6f-8j2x-4483 (Critical severity vulnerability that affects event-stream and flatmap-stream); no fixed version is published',
        fix: { description: `Remove flatmap-stream and whatever depends on it, then ${COMPROMISED}` },
      },
      {
        ruleId: 'GHSA-97m3-w2cp-4xx6',
        package: 'node-ipc@10.1.1',
        line: 90,
        severity: 'critical',
        message: 'node-ipc@10.1.1 is a known malicious release: GHSA-97m3-w2cp-4xx6 (Embedded Malicious Code in node-ipc); fixed in 10.1.3',
        fix: {
          description: `Upgrade node-ipc to 10.1.3 or later (the project declares 10.1.1); then ${COMPROMISED}`,
          command: 'npm install node-ipc@10.1.3',
        },
      },
      {
        ruleId: 'GHSA-pjwm-rvh2-c87w',
        package: 'ua-parser-js@0.7.29',
        line: 136,
        severity: 'critical',
        message: 'ua-parser-js@0.7.29 is a known malicious release: GHSA-pjwm-rvh2-c87w (Embedded malware in ua-parser-js); fixed in 0.7.30',
        fix: {
          description: `Upgrade ua-parser-js to 0.7.30 or later (the project declares 0.7.29); then ${COMPROMISED}`,
          command: 'npm install ua-parser-js@0.7.30',
        },
      },
    ]);
  });

  it('shows the path through the package that pulled the malware in', async () => {
    const result = await run([malicious]);
    const flatmap = result.findings.find((f) => f.package.name === 'flatmap-stream')!;
    expect(flatmap.data['paths']).toBe('advisory-demo@1.0.0 > event-stream@3.3.6 > flatmap-stream@0.1.1');
    expect(flatmap.package.path).toEqual(['advisory-demo@1.0.0', 'event-stream@3.3.6', 'flatmap-stream@0.1.1']);
    expect(flatmap.rule?.tags).toEqual(['malware', 'CWE-506']);
  });

  it('stays critical whatever severity the advisory carries', async () => {
    const lowRated = { ...UA_PARSER_MALWARE, severity: 'low' as const };
    fake.current!.answer = () =>
      Promise.resolve({ matches: new Map([['ua-parser-js@0.7.29', [{ advisory: lowRated, fixedIn: '0.7.30' }]]]), notes: [], sources: ['osv'] });
    const result = await run([malicious]);
    expect(result.findings.map((f) => [f.package.name, f.severity])).toEqual([['ua-parser-js', 'critical']]);
  });

  it('is not reported again by the advisory check', async () => {
    const result = await run([advisory, malicious]);
    const byPackage = new Map<string, string[]>();
    for (const f of result.findings) byPackage.set(f.package.name, [...(byPackage.get(f.package.name) ?? []), f.checkId]);
    expect(Object.fromEntries(byPackage)).toEqual({
      'event-stream': ['malicious'],
      'flatmap-stream': ['malicious'],
      lodash: ['advisory'],
      minimist: ['advisory'],
      'node-ipc': ['malicious'],
      'ua-parser-js': ['malicious'],
    });
  });
});
