/**
 * The CheckTester and graph builder are what every check test stands on, so they are tested
 * too: a tester that passes wrong findings would make every check test worthless.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCheck } from '../../src/core/check.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { expectFindings, loadFixtureGraph, runCheckCase } from '../helpers/check-tester.ts';
import { graphOf, registryTarball, sha512Of } from '../helpers/graph.ts';

/** Reports every package whose name starts with "bad"; `crash` makes it throw. */
const flagsBad = defineCheck({
  meta: {
    id: 'flags-bad',
    description: 'Test check',
    rationale: 'Exists only to test the CheckTester.',
    defaultSeverity: 'low',
    requiresNetwork: false,
    docs: 'https://github.com/pkgguard/pkgguard#flags-bad',
    tags: ['test'],
    rules: {
      bad: { description: 'A bad name', message: '{{name}} is bad ({{why}})' },
      forgetful: { description: 'Forgets its data', message: '{{name}} is {{missing}}' },
    },
    options: {
      defaults: { why: 'named so', forget: false, crash: false },
      schema: () =>
        Promise.resolve(
          z.strictObject({ why: z.string().default('named so'), forget: z.boolean().default(false), crash: z.boolean().default(false) }),
        ),
    },
  },
  run(context) {
    if (context.options.crash) throw new Error('boom');
    for (const node of context.graph.packages) {
      if (!node.name.startsWith('bad')) continue;
      if (context.options.forget) context.report({ node, rule: 'forgetful' });
      else context.report({ node, rule: 'bad', data: { why: context.options.why } });
    }
  },
});

const graph = graphOf([{ name: 'good' }, { name: 'bad-one' }, { name: 'bad-two', version: '2.0.0' }]);
const BOTH = [
  { ruleId: 'flags-bad/bad', package: 'bad-one@1.0.0', line: 3, column: 5 },
  { ruleId: 'flags-bad/bad', package: 'bad-two@2.0.0', line: 4, column: 5 },
];

describe('CheckTester', () => {
  it('passes exactly the listed findings, in order', async () => {
    const findings = await runCheckCase(flagsBad, { name: 'x', graph });
    expectFindings(findings, BOTH);
    expectFindings(findings, [
      { ...BOTH[0]!, severity: 'low', message: 'bad-one is bad (named so)', data: { why: 'named so' }, id: 'node_modules/bad-one' },
      BOTH[1]!,
    ]);
  });

  it('fails a valid case that reports anything', async () => {
    const findings = await runCheckCase(flagsBad, { name: 'x', graph });
    expect(() => expectFindings(findings, [])).toThrow(/deeply equal/);
  });

  it('fails on fewer, more, reordered or different findings', async () => {
    const findings = await runCheckCase(flagsBad, { name: 'x', graph });
    expect(() => expectFindings(findings, [BOTH[0]!])).toThrow();
    expect(() => expectFindings(findings, [...BOTH, BOTH[1]!])).toThrow();
    expect(() => expectFindings(findings, [BOTH[1]!, BOTH[0]!])).toThrow();
    expect(() => expectFindings(findings, [{ ...BOTH[0]!, line: 2 }, BOTH[1]!])).toThrow();
    expect(() => expectFindings(findings, [{ ...BOTH[0]!, column: 1 }, BOTH[1]!])).toThrow();
    expect(() => expectFindings(findings, [{ ...BOTH[0]!, ruleId: 'flags-bad/other' }, BOTH[1]!])).toThrow();
    expect(() => expectFindings(findings, [{ ...BOTH[0]!, severity: 'high' }, BOTH[1]!])).toThrow();
    // data is compared whole: a missing key fails as much as a wrong one.
    expect(() => expectFindings(findings, [{ ...BOTH[0]!, data: {} }, BOTH[1]!])).toThrow();
  });

  it('hands options to the check through the option schema', async () => {
    const findings = await runCheckCase(flagsBad, { name: 'x', graph, options: { why: 'configured' } });
    expectFindings(findings, BOTH.map((finding) => ({ ...finding, data: { why: 'configured' } })));
    await expect(runCheckCase(flagsBad, { name: 'x', graph, options: { wy: 'typo' } })).rejects.toThrow(ConfigError);
  });

  it('fails when the check crashes', async () => {
    await expect(runCheckCase(flagsBad, { name: 'x', graph, options: { crash: true } })).rejects.toThrow(/boom/);
  });

  it('fails when a message keeps an unfilled placeholder', async () => {
    await expect(runCheckCase(flagsBad, { name: 'x', graph, options: { forget: true } })).rejects.toThrow(/\{\{missing\}\}/);
  });

  it('needs exactly one of graph and lockfile', async () => {
    await expect(runCheckCase(flagsBad, { name: 'neither' })).rejects.toThrow('case "neither" needs exactly one of "graph" and "lockfile"');
    await expect(runCheckCase(flagsBad, { name: 'both', graph, lockfile: 'npm/integrity-missing' })).rejects.toThrow(/exactly one/);
  });

  it('parses fixtures with the parser of their format', async () => {
    const parsed = await loadFixtureGraph('npm/integrity-mismatch');
    expect(parsed.lockfile).toEqual({ path: 'package-lock.json', format: 'npm', formatVersion: '3' });
    expect(parsed.node('node_modules/doctrine/node_modules/isarray')?.location).toEqual({ file: 'package-lock.json', line: 72, column: 5 });
    await expect(loadFixtureGraph('cargo/x')).rejects.toThrow('lockfile fixture "cargo/x" must be <format>/<scenario> with a known format');
    await expect(loadFixtureGraph('npm/no-such-scenario')).rejects.toThrow(/no npm-shrinkwrap.json or package-lock.json in /);
  });
});

describe('graphOf', () => {
  it('fills npm-like defaults and nests by install location', () => {
    const built = graphOf([{ name: 'a' }, { name: '@s/b', id: 'node_modules/a/node_modules/@s/b', version: '2.0.0' }]);
    const [a, b] = built.packages;
    expect(a).toEqual({
      id: 'node_modules/a',
      name: 'a',
      version: '1.0.0',
      alias: undefined,
      source: { type: 'registry', url: 'https://registry.npm.example/a/-/a-1.0.0.tgz' },
      resolved: 'https://registry.npm.example/a/-/a-1.0.0.tgz',
      integrity: sha512Of('a@1.0.0'),
      flags: { dev: false, optional: false, devOptional: false, peer: false, bundled: false },
      hasInstallScript: false,
      location: { file: 'package-lock.json', line: 2, column: 5 },
      dependencies: [{ name: '@s/b', spec: '2.0.0', type: 'prod', to: 'node_modules/a/node_modules/@s/b' }],
    });
    expect(b?.resolved).toBe(registryTarball('@s/b', '2.0.0'));
    expect(b?.resolved).toBe('https://registry.npm.example/@s/b/-/b-2.0.0.tgz');
    expect(b?.location.line).toBe(3);
    expect(built.pathsTo(b!)[0]?.map((node) => node.id)).toEqual(['', 'node_modules/a', 'node_modules/a/node_modules/@s/b']);
  });

  it('tells an omitted integrity (default) from an explicit undefined (none)', () => {
    const [withDefault, without] = graphOf([{ name: 'a' }, { name: 'b', integrity: undefined, resolved: undefined }]).packages;
    expect(withDefault?.integrity).toBe(sha512Of('a@1.0.0'));
    expect(without?.integrity).toBeUndefined();
    expect(without?.resolved).toBeUndefined();
    expect(without?.source).toEqual({ type: 'registry', url: undefined });
  });
});
