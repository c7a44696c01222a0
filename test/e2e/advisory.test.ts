/**
 * The `advisory` and `malicious` checks through the built CLI on fixtures/projects/advisories
 * (lodash 4.17.15, minimist 1.2.5, event-stream 3.3.6 + flatmap-stream 0.1.1, ua-parser-js
 * 0.7.29, node-ipc 10.1.1 and a private `@corp` package): offline against the OSV records in
 * fixtures/advisories/osv, offline without a database, and online against a fake OSV API on
 * 127.0.0.1 (privacy, request counts, warm cache). Every run gets a throwaway home and cache.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeOsv, fixtureRecords, startFakeOsv } from '../advisories/helpers.ts';
import { sha512Of } from '../helpers/graph.ts';
import { assertBuilt, copyProject, makeTempDir, parseReport, parseSarif, project, removeTempDir, REPO_ROOT, runCli, STACK_LINE } from './helpers.ts';

const DB = path.join(REPO_ROOT, 'fixtures', 'advisories', 'osv');
const INDEXING = /^pkgguard warning: indexing the advisory database .+\n$/;

beforeAll(assertBuilt);

let temp: string;
beforeEach(async () => {
  temp = await makeTempDir();
  await mkdir(path.join(temp, 'home'));
});
afterEach(async () => {
  await removeTempDir(temp);
});

function env() {
  return { HOME: path.join(temp, 'home'), PKGGUARD_CACHE_DIR: path.join(temp, 'cache'), XDG_CACHE_HOME: undefined };
}

function audit(dir: string, ...args: string[]) {
  return runCli(['audit', dir, ...args], { env: env() });
}

function findingsOf(stdout: string) {
  return parseReport(stdout).findings.map((f) => `${f.checkId} ${f.ruleId} ${f.package.name}@${f.package.version} :${f.location.line} ${f.severity}`);
}

const ALL_FINDINGS = [
  'malicious GHSA-mh6f-8j2x-4483 event-stream@3.3.6 :32 critical',
  'malicious GHSA-mh6f-8j2x-4483 flatmap-stream@0.1.1 :48 critical',
  'advisory GHSA-35jh-r3h4-6jhm lodash@4.17.15 :60 high',
  'advisory GHSA-xvch-5gv4-984h minimist@1.2.5 :72 critical',
  'malicious GHSA-97m3-w2cp-4xx6 node-ipc@10.1.1 :90 critical',
  'malicious GHSA-pjwm-rvh2-c87w ua-parser-js@0.7.29 :136 critical',
];

const WITHHELD =
  '1 private release was not looked up in advisory databases (private names are never sent to public services, and public advisories do not describe them): 1 in privateScopes';

describe('offline, with the advisory database', () => {
  it('prints the vulnerabilities with their fixes and fails on --fail-on critical', async () => {
    const run = await audit(project('advisories'), '--offline', '--advisory-db', DB, '--checks', 'advisory', '--fail-on', 'critical');
    expect(run.stderr).toMatch(INDEXING);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      [
        'CRITICAL (1)',
        '  critical  minimist@1.2.5 is affected by GHSA-xvch-5gv4-984h (Prototype Pollution in minimist); fixed in 1.2.6  GHSA-xvch-5gv4-984h',
        '      package-lock.json:72:5',
        '      via advisory-demo@1.0.0 > minimist@1.2.5',
        '      see https://github.com/advisories/GHSA-xvch-5gv4-984h',
        '      fix: Upgrade minimist to 1.2.6 or later (the project declares 1.2.5)',
        '      $ npm install minimist@1.2.6',
        '',
        'HIGH (1)',
        '  high      lodash@4.17.15 is affected by GHSA-35jh-r3h4-6jhm (Command Injection in lodash); fixed in 4.17.21  GHSA-35jh-r3h4-6jhm',
        '      package-lock.json:60:5',
        '      via advisory-demo@1.0.0 > lodash@4.17.15',
        '      see https://github.com/advisories/GHSA-35jh-r3h4-6jhm',
        '      fix: Upgrade lodash to 4.17.21 or later (the project declares 4.17.15)',
        '      $ npm install lodash@4.17.21',
        '',
        'Notes',
        `  advisory: ${WITHHELD}`,
        '',
        'package-lock.json (npm v3): 15 packages, 2 findings',
        '✖ 2 findings (1 critical, 1 high) in 1 lockfile (15 packages) — failing: 1 at or above "critical"',
        '',
      ].join('\n'),
    );
  });

  it('reports vulnerabilities and malware under their advisory ids in JSON, each once', async () => {
    const run = await audit(project('advisories'), '--offline', '--advisory-db', DB, '--checks', 'advisory,malicious', '--format', 'json', '--fail-on', 'critical');
    expect(run.code).toBe(1);
    expect(findingsOf(run.stdout)).toEqual(ALL_FINDINGS);
    const report = parseReport(run.stdout);
    expect(report.notes).toEqual([{ checkId: 'advisory', lockfile: 'package-lock.json', message: WITHHELD }]);
    expect(report.skipped).toEqual([]);
    expect(report.incomplete).toEqual([]);
    const flatmap = report.findings.find((f) => f.package.name === 'flatmap-stream')!;
    expect(flatmap.data['paths']).toBe('advisory-demo@1.0.0 > event-stream@3.3.6 > flatmap-stream@0.1.1');
    expect(flatmap.fix).toEqual({
      description: 'Remove flatmap-stream and whatever depends on it, then treat every machine that installed it as compromised and rotate the credentials it could read',
    });
  });

  it('fails on malware alone with --checks malicious, and passes with --fail-on none', async () => {
    const malware = await audit(project('advisories'), '--offline', '--advisory-db', DB, '--checks', 'malicious', '--format', 'json', '--fail-on', 'critical');
    expect(malware.code).toBe(1);
    expect(findingsOf(malware.stdout)).toEqual(ALL_FINDINGS.filter((line) => line.startsWith('malicious')));
    const none = await audit(project('advisories'), '--offline', '--advisory-db', DB, '--checks', 'advisory,malicious', '--fail-on', 'none');
    expect(none.code).toBe(0);
  });

  it('writes one SARIF rule per advisory, with its CVSS score as security-severity', async () => {
    const run = await audit(project('advisories'), '--offline', '--advisory-db', DB, '--checks', 'advisory,malicious', '--format', 'sarif', '--fail-on', 'none');
    expect(run.code).toBe(0);
    const [sarifRun] = parseSarif(run.stdout).runs;
    const rules = sarifRun!.tool.driver.rules;
    expect(rules.map((rule) => [rule.id, rule.properties['security-severity']])).toEqual([
      ['GHSA-35jh-r3h4-6jhm', '7.2'],
      ['GHSA-97m3-w2cp-4xx6', '10.0'],
      ['GHSA-mh6f-8j2x-4483', '9.5'],
      ['GHSA-pjwm-rvh2-c87w', '9.5'],
      ['GHSA-xvch-5gv4-984h', '9.8'],
      ['advisory/vulnerable', '5.5'],
      ['malicious/malware', '9.5'],
    ]);
    expect(sarifRun!.results.map((result) => [result.ruleId, rules[result.ruleIndex]!.id, result.locations[0]!.physicalLocation.region['startLine']])).toEqual([
      ['GHSA-mh6f-8j2x-4483', 'GHSA-mh6f-8j2x-4483', 32],
      ['GHSA-mh6f-8j2x-4483', 'GHSA-mh6f-8j2x-4483', 48],
      ['GHSA-35jh-r3h4-6jhm', 'GHSA-35jh-r3h4-6jhm', 60],
      ['GHSA-xvch-5gv4-984h', 'GHSA-xvch-5gv4-984h', 72],
      ['GHSA-97m3-w2cp-4xx6', 'GHSA-97m3-w2cp-4xx6', 90],
      ['GHSA-pjwm-rvh2-c87w', 'GHSA-pjwm-rvh2-c87w', 136],
    ]);
  });
});

describe('offline, without an advisory database', () => {
  it('lists both checks as skipped with what to do, and exits 0', async () => {
    const run = await audit(project('advisories'), '--offline', '--checks', 'advisory,malicious', '--format', 'json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const reason = 'offline and no advisory database; run pkgguard db update or pass --advisory-db';
    expect(parseReport(run.stdout).skipped).toEqual([
      { checkId: 'advisory', lockfile: 'package-lock.json', reason },
      { checkId: 'malicious', lockfile: 'package-lock.json', reason },
    ]);
  });
});

describe('online, against an OSV API on 127.0.0.1', () => {
  let osv: FakeOsv;
  beforeEach(async () => {
    osv = await startFakeOsv(fixtureRecords());
  });
  afterEach(async () => {
    await osv.close();
  });

  /** A copy of the fixture project whose configuration points at the fake OSV API. */
  async function onlineProject(): Promise<string> {
    const dir = await copyProject('advisories', temp);
    await writeFile(path.join(dir, 'pkgguard.config.json'), JSON.stringify({ privateScopes: ['@corp'], advisories: { osvUrl: osv.url } }));
    return dir;
  }

  it('finds what the offline database finds, and never sends the private name', async () => {
    const run = await audit(await onlineProject(), '--checks', 'advisory,malicious', '--format', 'json', '--fail-on', 'none');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(findingsOf(run.stdout)).toEqual(ALL_FINDINGS);
    expect(parseReport(run.stdout).notes.map((note) => note.message)).toEqual([WITHHELD]);
    const sent = osv.batches.flatMap((batch) => batch.queries.map((query) => query.package.name));
    expect(sent).toHaveLength(14);
    expect(sent).not.toContain('@corp/internal-lib');
    expect(JSON.stringify(osv.requests)).not.toContain('corp');
  });

  it('is incomplete (exit 4) when OSV keeps failing', async () => {
    osv.handle((_request, response) => {
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"code":14,"message":"unavailable"}');
    });
    const run = await audit(await onlineProject(), '--checks', 'advisory,malicious', '--format', 'json');
    expect(run.code).toBe(4);
    expect(run.stderr).not.toMatch(STACK_LINE);
    expect(parseReport(run.stdout).incomplete.map((entry) => [entry.checkId, entry.kind])).toEqual([
      ['advisory', 'source-unavailable'],
      ['malicious', 'source-unavailable'],
    ]);
  });

  it('asks about 3,000 packages in at most 3 batches, and a warm run from the cache', async () => {
    const dir = path.join(temp, 'big');
    await mkdir(dir);
    const names = Array.from({ length: 2999 }, (_, i) => `synthetic-${String(i).padStart(4, '0')}`);
    const entries: [string, string][] = [...names.map((name): [string, string] => [name, '1.0.0']), ['lodash', '4.17.15'], ['@corp/secret', '2.0.0']];
    const packages: Record<string, object> = { '': { name: 'big', version: '1.0.0', dependencies: Object.fromEntries(entries) } };
    for (const [name, version] of entries.sort(([a], [b]) => (a < b ? -1 : 1))) {
      const file = name.slice(name.lastIndexOf('/') + 1);
      packages[`node_modules/${name}`] = { version, resolved: `https://registry.npm.example/${name}/-/${file}-${version}.tgz`, integrity: sha512Of(`${name}@${version}`) };
    }
    const lockfile = `${JSON.stringify({ name: 'big', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
    await writeFile(path.join(dir, 'package-lock.json'), lockfile);
    const lodashLine = lockfile.split('\n').indexOf('    "node_modules/lodash": {') + 1;
    await writeFile(path.join(dir, '.npmrc'), 'registry=https://registry.npm.example/\n');
    await writeFile(path.join(dir, 'pkgguard.config.json'), JSON.stringify({ privateScopes: ['@corp'], advisories: { osvUrl: osv.url } }));

    const cold = await audit(dir, '--checks', 'advisory,malicious', '--format', 'json', '--fail-on', 'none');
    expect(cold.code).toBe(0);
    expect(findingsOf(cold.stdout)).toEqual([`advisory GHSA-35jh-r3h4-6jhm lodash@4.17.15 :${lodashLine} high`]);
    expect(osv.batches.map((batch) => batch.queries.length)).toEqual([1000, 1000, 1000]);
    const coldFetches = osv.fetched.length;

    expect(coldFetches).toBeGreaterThan(0);

    const warmBatches = osv.batches.length;
    const warm = await audit(dir, '--checks', 'advisory,malicious', '--format', 'json', '--fail-on', 'none');
    expect(findingsOf(warm.stdout)).toEqual(findingsOf(cold.stdout));
    // Within advisories.cacheMinutes (default 60) OSV's answers are reused, and the full records
    // are cached by id and `modified`: the warm run asks OSV nothing.
    expect(osv.batches.length - warmBatches).toBe(0);
    expect(osv.fetched.length).toBe(coldFetches);

    // With the window closed, which ids affect which releases is asked again; records stay cached.
    await writeFile(path.join(dir, 'pkgguard.config.json'), JSON.stringify({ privateScopes: ['@corp'], advisories: { osvUrl: osv.url, cacheMinutes: 0 } }));
    await audit(dir, '--checks', 'advisory,malicious', '--format', 'json', '--fail-on', 'none');
    expect(osv.batches.length - warmBatches).toBe(3);
    expect(osv.fetched.length).toBe(coldFetches);
  });
});
