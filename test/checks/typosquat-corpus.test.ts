/**
 * The typosquat check on real lockfiles: legitimate projects, so every finding is a false alarm.
 * First this repository's own: its package-lock.json and the 12,200-entry tree of popular
 * packages in fixtures/bench/npm-large (where fresh scoped helpers of popular packages,
 * `@simple-git/*` or `@opentelemetry/sdk-trace`, were once flagged). Then those from other
 * tools' test suites (../shared/corpus, next to the checkout), two kinds of input: every npm
 * lockfile through the real parser and check, and the package names every corpus case lists in
 * its expected.json (all formats, 4,380 distinct names), through the same matcher and gate,
 * with the exact list of names that are flagged today.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import typosquat from '../../src/checks/typosquat.ts';
import { passesPopularityGate } from '../../src/checks/typosquat/gate.ts';
import { findLookalikes } from '../../src/checks/typosquat/matcher.ts';
import { embeddedReferenceData } from '../../src/checks/typosquat/reference-data.ts';
import npm from '../../src/lockfiles/npm.ts';
import { NPM_LARGE_ENTRIES } from '../bench/npm-large.ts';
import { runCheckCase } from '../helpers/check-tester.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS = fileURLToPath(new URL('../../../shared/corpus/lockfiles/', import.meta.url));
const NPM_LARGE = path.join(REPO, 'fixtures/bench/npm-large/package-lock.json');

async function typosquatMessages(file: string): Promise<{ packages: number; messages: string[] }> {
  const absolutePath = path.join(REPO, file);
  const graph = await npm.parse({ path: 'package-lock.json', absolutePath, text: readFileSync(absolutePath, 'utf8') });
  const findings = await runCheckCase(typosquat, { name: file, graph });
  return { packages: graph.packages.length, messages: findings.map((finding) => finding.message) };
}

describe('typosquat on the lockfiles of this repository', () => {
  it('reports nothing on its own package-lock.json', async () => {
    expect((await typosquatMessages('package-lock.json')).messages).toEqual([]);
  });

  const large = existsSync(NPM_LARGE) ? it : it.skip;
  large(`reports nothing on fixtures/bench/npm-large${existsSync(NPM_LARGE) ? '' : ' (skipped: the fixture is absent)'}`, async () => {
    expect(await typosquatMessages('fixtures/bench/npm-large/package-lock.json')).toEqual({ packages: NPM_LARGE_ENTRIES, messages: [] });
  });
});
const suite = existsSync(CORPUS) ? describe : describe.skip;

function caseDirs(format: string): string[] {
  const dir = path.join(CORPUS, format);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

suite(`typosquat on the real-world corpus${existsSync(CORPUS) ? '' : ' (skipped: ../shared/corpus is absent)'}`, () => {
  it('reports nothing on any npm lockfile of the corpus', async () => {
    const reported: string[] = [];
    for (const dir of caseDirs('npm')) {
      const file = ['package-lock.json', 'npm-shrinkwrap.json'].find((name) => existsSync(path.join(dir, name)));
      if (!file) continue;
      const absolutePath = path.join(dir, file);
      let graph;
      try {
        graph = await npm.parse({ path: file, absolutePath, text: readFileSync(absolutePath, 'utf8') });
      } catch {
        continue; // Broken lockfiles are the parser tests' business.
      }
      const findings = await runCheckCase(typosquat, { name: dir, graph });
      reported.push(...findings.map((finding) => `${path.basename(dir)}: ${finding.message}`));
    }
    expect(reported).toEqual([]);
  });

  it('flags exactly these of the 4,380 distinct names the corpus cases list', async () => {
    const names = new Set<string>();
    for (const format of readdirSync(CORPUS, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
      for (const dir of caseDirs(format.name)) {
        const expected = path.join(dir, 'expected.json');
        if (!existsSync(expected)) continue;
        const { packages = [] } = JSON.parse(readFileSync(expected, 'utf8')) as { packages?: { name: string }[] };
        for (const { name } of packages) names.add(name);
      }
    }
    const data = await embeddedReferenceData();
    const scope = { indexes: [data.index], knownScopes: data.knownScopes };
    const flagged: string[] = [];
    for (const name of [...names].sort()) {
      if (data.index.has(name.toLowerCase())) continue;
      const downloads = await data.downloadsOf(name, true);
      const verdict = findLookalikes(name, scope).find((lookalike) => passesPopularityGate(lookalike, downloads, data.unknownCeiling));
      if (verdict) flagged.push(`${name} → ${verdict.target.name}`);
    }
    expect(names.size).toBe(4380);
    expect(flagged).toEqual([
      // A fixture of a parser's test suite, and exactly what the rule is for.
      '@ws/ansi-regex → ansi-regex',
      // Legitimate, rarely used packages: the residual false alarms (with stopwords below).
      'arrayreduce → array-reduce',
      // Git dependencies installed under these names; the check skips non-registry sources.
      'is-number-1 → is-number',
      'is-number-2 → is-number',
      'is-number-3 → is-number',
      'is-number-4 → is-number',
      'is-number-5 → is-number',
      'stopwords → stopword',
    ]);
  });
});
