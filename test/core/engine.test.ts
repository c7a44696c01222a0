import { describe, expect, it } from 'vitest';
import { type AnyCheck, type CheckContext, defineCheck, type Logger, type RuleMeta } from '../../src/core/check.ts';
import { runChecks, type RunChecksOptions, type SelectedCheck } from '../../src/core/engine.ts';
import { LockfileParseError, SourceUnavailableError } from '../../src/core/errors.ts';
import type { Finding } from '../../src/core/finding.ts';
import { fingerprintOf } from '../../src/core/fingerprint.ts';
import type { DependencyGraph, PackageNode } from '../../src/core/graph.ts';
import type { Severity } from '../../src/core/severity.ts';
import { makeGraph, makeNode, makeRoot, NO_FLAGS } from './make-graph.ts';

const SILENT: Logger = { debug() {}, warn() {} };
const OPTIONS: RunChecksOptions = { offline: false, signal: new AbortController().signal, log: SILENT };

/** A check whose `run` is the test's; rules and severities as each test needs them. */
function makeCheck(
  id: string,
  run: (context: CheckContext) => void | Promise<void>,
  rules: Record<string, RuleMeta> = { found: { description: 'Found it', message: '{{name}}@{{version}} was found' } },
  defaultSeverity: Severity = 'moderate',
): AnyCheck {
  return defineCheck({
    meta: {
      id,
      description: `The ${id} check`,
      rationale: 'For tests.',
      defaultSeverity,
      requiresNetwork: false,
      docs: `https://example.test/docs#${id}`,
      tags: [],
      rules,
    },
    run,
  });
}

function select(check: AnyCheck, severity?: Severity, options?: unknown): SelectedCheck {
  return { check, severity, options };
}

/** root → left-pad (line 10) → nested (line 20); plus a dev-only package (line 30). */
function sampleGraph(path = 'package-lock.json'): DependencyGraph {
  const at = (line: number) => ({ file: path, line, column: 5 });
  return makeGraph({
    lockfile: { path, format: 'npm', formatVersion: '3' },
    root: makeRoot(['node_modules/left-pad', 'node_modules/dev-tool']),
    packages: [
      makeNode('node_modules/left-pad', ['node_modules/left-pad/node_modules/nested'], {
        name: 'left-pad',
        version: '1.3.0',
        location: at(10),
      }),
      makeNode('node_modules/left-pad/node_modules/nested', [], { name: 'nested', version: '2.0.0', location: at(20) }),
      makeNode('node_modules/dev-tool', [], { name: 'dev-tool', version: '3.1.4', location: at(30), flags: { ...NO_FLAGS, dev: true } }),
    ],
  });
}

const node = (graph: DependencyGraph, id: string): PackageNode => graph.node(id)!;

describe('runChecks', () => {
  describe('report() builds complete findings', () => {
    it('fills in rule id, message, package, path, location, help and fingerprint', async () => {
      const graph = sampleGraph();
      const check = makeCheck('demo', (context) => {
        context.report({
          node: node(graph, 'node_modules/left-pad/node_modules/nested'),
          rule: 'found',
          data: { extra: 7 },
          fix: { description: 'Remove it.', command: 'npm uninstall nested' },
          references: ['https://example.test/advisory'],
        });
      });

      const result = await runChecks([graph], [select(check)], OPTIONS);

      expect(result).toEqual({
        findings: [
          {
            checkId: 'demo',
            ruleId: 'demo/found',
            severity: 'moderate',
            message: 'nested@2.0.0 was found',
            package: {
              name: 'nested',
              version: '2.0.0',
              id: 'node_modules/left-pad/node_modules/nested',
              path: ['app@0.0.0', 'left-pad@1.3.0', 'nested@2.0.0'],
            },
            location: { file: 'package-lock.json', line: 20, column: 5 },
            fix: { description: 'Remove it.', command: 'npm uninstall nested' },
            references: ['https://example.test/advisory'],
            data: { name: 'nested', version: '2.0.0', extra: 7 },
            helpUri: 'https://example.test/docs#demo',
            fingerprint: fingerprintOf({
              ruleId: 'demo/found',
              file: 'package-lock.json',
              packageId: 'node_modules/left-pad/node_modules/nested',
              name: 'nested',
              version: '2.0.0',
            }),
          },
        ],
        incomplete: [],
        skipped: [],
        notes: [],
      });
    });

    it('interpolates the message from data, which may override name and version; unknown placeholders stay', async () => {
      const graph = sampleGraph();
      const rules = {
        expected: { description: 'Mismatch', message: '{{ name }} expected {{expected}}, got {{actual}}; {{missing}} stays' },
      };
      const check = makeCheck(
        'demo',
        (context) => {
          context.report({ node: node(graph, 'node_modules/left-pad'), rule: 'expected', data: { expected: 'sha512', actual: 1 } });
          context.report({
            node: node(graph, 'node_modules/left-pad/node_modules/nested'),
            rule: 'expected',
            data: { name: 'alias-name', expected: '$&', actual: '$1' },
          });
        },
        rules,
      );

      const { findings } = await runChecks([graph], [select(check)], OPTIONS);

      expect(findings.map((f) => f.message)).toEqual([
        'left-pad expected sha512, got 1; {{missing}} stays',
        'alias-name expected $&, got $1; {{missing}} stays',
      ]);
    });

    it('resolves severity: configured > per-report > rule > check default', async () => {
      const graph = sampleGraph();
      const rules = {
        plain: { description: 'Plain', message: 'plain' },
        ruled: { description: 'Ruled', message: 'ruled', severity: 'high' as const },
      };
      const report = (context: CheckContext): void => {
        context.report({ node: node(graph, 'node_modules/left-pad'), rule: 'plain' });
        context.report({ node: node(graph, 'node_modules/left-pad'), rule: 'ruled' });
        context.report({ node: node(graph, 'node_modules/left-pad'), rule: 'ruled', severity: 'critical', discriminator: 'x' });
      };
      const severities = async (configured?: Severity): Promise<string[]> => {
        const { findings } = await runChecks([graph], [select(makeCheck('demo', report, rules, 'low'), configured)], OPTIONS);
        return findings.map((f) => `${f.ruleId}:${f.severity}`);
      };

      expect(await severities()).toEqual(['demo/plain:low', 'demo/ruled:high', 'demo/ruled:critical']);
      expect(await severities('info')).toEqual(['demo/plain:info', 'demo/ruled:info', 'demo/ruled:info']);
    });

    it('labels path entries name@version, and a version-less root by its name alone', async () => {
      const graph = makeGraph({
        root: makeRoot(['a'], { name: 'workspace-root', version: '' }),
        packages: [makeNode('a', [], { version: '0.1.0' })],
      });
      const check = makeCheck('demo', (context) => context.report({ node: node(graph, 'a'), rule: 'found' }));

      const { findings } = await runChecks([graph], [select(check)], OPTIONS);

      expect(findings.map((f) => f.package.path)).toEqual([['workspace-root', 'a@0.1.0']]);
    });

    it('gives a node no dependent can reach a one-element path', async () => {
      const graph = makeGraph({ root: makeRoot([]), packages: [makeNode('stray')] });
      const check = makeCheck('demo', (context) => context.report({ node: node(graph, 'stray'), rule: 'found' }));

      const { findings } = await runChecks([graph], [select(check)], OPTIONS);

      expect(findings.map((f) => f.package.path)).toEqual([['stray@1.0.0']]);
    });
  });

  describe('fingerprints', () => {
    const fingerprintFor = async (graph: DependencyGraph, id: string, discriminator?: string): Promise<string> => {
      const check = makeCheck('demo', (context) => context.report({ node: node(graph, id), rule: 'found', discriminator }));
      const { findings } = await runChecks([graph], [select(check)], OPTIONS);
      return findings[0]!.fingerprint;
    };

    it('are stable from run to run and 32 hex characters long', async () => {
      const first = await fingerprintFor(sampleGraph(), 'node_modules/left-pad');

      expect(first).toMatch(/^[0-9a-f]{32}$/);
      expect(await fingerprintFor(sampleGraph(), 'node_modules/left-pad')).toBe(first);
    });

    it('do not depend on line or column, so an edit elsewhere in the lockfile keeps them', async () => {
      const moved = makeGraph({
        root: makeRoot(['node_modules/left-pad']),
        packages: [
          makeNode('node_modules/left-pad', [], {
            name: 'left-pad',
            version: '1.3.0',
            location: { file: 'package-lock.json', line: 999, column: 1 },
          }),
        ],
      });

      expect(await fingerprintFor(moved, 'node_modules/left-pad')).toBe(await fingerprintFor(sampleGraph(), 'node_modules/left-pad'));
    });

    it('change with the discriminator, the package and the lockfile path', async () => {
      const base = await fingerprintFor(sampleGraph(), 'node_modules/left-pad');

      const others = [
        await fingerprintFor(sampleGraph(), 'node_modules/left-pad', 'GHSA-1'),
        await fingerprintFor(sampleGraph(), 'node_modules/left-pad', 'GHSA-2'),
        await fingerprintFor(sampleGraph(), 'node_modules/left-pad/node_modules/nested'),
        await fingerprintFor(sampleGraph('packages/a/package-lock.json'), 'node_modules/left-pad'),
      ];

      expect(new Set([base, ...others]).size).toBe(5);
    });
  });

  describe('failures', () => {
    it('turns an unknown rule key into a crash entry', async () => {
      const graph = sampleGraph();
      const check = makeCheck('demo', (context) => context.report({ node: node(graph, 'node_modules/left-pad'), rule: 'nope' }));

      const { findings, incomplete } = await runChecks([graph], [select(check)], OPTIONS);

      expect(findings).toEqual([]);
      expect(incomplete).toEqual([
        {
          checkId: 'demo',
          lockfile: 'package-lock.json',
          kind: 'crashed',
          code: 'ECHECKCRASH',
          message: 'check "demo" crashed on package-lock.json: check "demo" reported unknown rule "nope"',
          stack: expect.stringContaining('TypeError: check "demo" reported unknown rule "nope"'),
        },
      ]);
    });

    it('does not take an inherited property such as "constructor" for a rule', async () => {
      const graph = sampleGraph();
      const check = makeCheck('demo', (context) => context.report({ node: node(graph, 'node_modules/left-pad'), rule: 'constructor' }));

      const { incomplete } = await runChecks([graph], [select(check)], OPTIONS);

      expect(incomplete.map((entry) => entry.message)).toEqual([
        'check "demo" crashed on package-lock.json: check "demo" reported unknown rule "constructor"',
      ]);
    });

    it('records a throwing check as crashed while the other checks still report', async () => {
      const graph = sampleGraph();
      const crashing = makeCheck('crashing', (context) => {
        context.report({ node: node(graph, 'node_modules/left-pad'), rule: 'found' });
        throw new RangeError('kaput');
      });
      const healthy = makeCheck('healthy', (context) => context.report({ node: node(graph, 'node_modules/dev-tool'), rule: 'found' }));

      const { findings, incomplete } = await runChecks([graph], [select(crashing), select(healthy)], OPTIONS);

      // What a check reported before it crashed is kept: the result is incomplete, not empty.
      expect(findings.map((f) => `${f.ruleId} ${f.package.name}`)).toEqual(['crashing/found left-pad', 'healthy/found dev-tool']);
      expect(incomplete).toEqual([
        {
          checkId: 'crashing',
          lockfile: 'package-lock.json',
          kind: 'crashed',
          code: 'ECHECKCRASH',
          message: 'check "crashing" crashed on package-lock.json: kaput',
          stack: expect.stringMatching(/^RangeError: kaput\n/),
        },
      ]);
    });

    it('keeps the code of a pkgguard error and copes with throws that are not errors', async () => {
      const graph = sampleGraph();
      const typed = makeCheck('typed', () => {
        throw new LockfileParseError('bad entry');
      });
      const stringly = makeCheck('stringly', async () => {
        await Promise.resolve();
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- exactly the misbehaviour under test
        throw 'not an error';
      });

      const { incomplete } = await runChecks([graph], [select(typed), select(stringly)], OPTIONS);

      expect(incomplete).toEqual([
        {
          checkId: 'typed',
          lockfile: 'package-lock.json',
          kind: 'crashed',
          code: 'ELOCKPARSE',
          message: 'check "typed" crashed on package-lock.json: bad entry',
          stack: expect.stringMatching(/^LockfileParseError: bad entry\n/),
        },
        {
          checkId: 'stringly',
          lockfile: 'package-lock.json',
          kind: 'crashed',
          code: 'ECHECKCRASH',
          message: 'check "stringly" crashed on package-lock.json: not an error',
          stack: undefined,
        },
      ]);
    });

    it("records a SourceUnavailableError as 'source-unavailable', per lockfile", async () => {
      const offlineRegistry = makeCheck('registry', async () => {
        await Promise.resolve();
        throw new SourceUnavailableError('registry unreachable: ECONNREFUSED');
      });

      const { incomplete } = await runChecks([sampleGraph('a/package-lock.json'), sampleGraph('b/package-lock.json')], [select(offlineRegistry)], OPTIONS);

      expect(incomplete).toEqual([
        { checkId: 'registry', lockfile: 'a/package-lock.json', kind: 'source-unavailable', code: 'ESOURCE', message: 'registry unreachable: ECONNREFUSED' },
        { checkId: 'registry', lockfile: 'b/package-lock.json', kind: 'source-unavailable', code: 'ESOURCE', message: 'registry unreachable: ECONNREFUSED' },
      ]);
    });
  });

  describe('the context and the result', () => {
    it('hands each check its graph, options, offline flag, signal and logger, and awaits it', async () => {
      const graph = sampleGraph();
      const signal = new AbortController().signal;
      const seen: unknown[] = [];
      const check = makeCheck('demo', async (context) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.push(context.graph, context.options, context.offline, context.signal, context.log);
        context.report({ node: node(graph, 'node_modules/left-pad'), rule: 'found' });
      });

      const { findings } = await runChecks([graph], [select(check, undefined, { threshold: 3 })], { offline: true, signal, log: SILENT });

      expect(seen).toEqual([graph, { threshold: 3 }, true, signal, SILENT]);
      expect(seen[0]).toBe(graph);
      expect(findings).toHaveLength(1);
    });

    it('drops findings on nodes that includeNode rejects', async () => {
      const graph = sampleGraph();
      const check = makeCheck('demo', (context) => {
        for (const pkg of context.graph.packages) context.report({ node: pkg, rule: 'found' });
      });

      const { findings } = await runChecks([graph], [select(check)], { ...OPTIONS, includeNode: (n) => !n.flags.dev });

      expect(findings.map((f) => f.package.name)).toEqual(['left-pad', 'nested']);
    });

    it('sorts by file, line, column, rule and package id whatever the order of reports, checks and graphs', async () => {
      const first = sampleGraph('b/package-lock.json');
      const second = sampleGraph('a/package-lock.json');
      const reverse = (context: CheckContext): void => {
        for (const pkg of [...context.graph.packages].reverse()) context.report({ node: pkg, rule: 'found' });
      };
      const summary = (findings: readonly Finding[]): string[] =>
        findings.map((f) => `${f.location.file}:${f.location.line} ${f.ruleId} ${f.package.name}`);
      const zeta = makeCheck('zeta', reverse);
      const alpha = makeCheck('alpha', reverse);

      const one = await runChecks([first, second], [select(zeta), select(alpha)], OPTIONS);
      const other = await runChecks([second, first], [select(alpha), select(zeta)], OPTIONS);

      expect(summary(one.findings)).toEqual([
        'a/package-lock.json:10 alpha/found left-pad',
        'a/package-lock.json:10 zeta/found left-pad',
        'a/package-lock.json:20 alpha/found nested',
        'a/package-lock.json:20 zeta/found nested',
        'a/package-lock.json:30 alpha/found dev-tool',
        'a/package-lock.json:30 zeta/found dev-tool',
        'b/package-lock.json:10 alpha/found left-pad',
        'b/package-lock.json:10 zeta/found left-pad',
        'b/package-lock.json:20 alpha/found nested',
        'b/package-lock.json:20 zeta/found nested',
        'b/package-lock.json:30 alpha/found dev-tool',
        'b/package-lock.json:30 zeta/found dev-tool',
      ]);
      expect(other.findings).toEqual(one.findings);
    });

    it('keeps one finding when a check reports the same thing twice, but not when the discriminator differs', async () => {
      const graph = sampleGraph();
      const check = makeCheck('demo', (context) => {
        const leftPad = node(graph, 'node_modules/left-pad');
        context.report({ node: leftPad, rule: 'found' });
        context.report({ node: leftPad, rule: 'found' });
        context.report({ node: leftPad, rule: 'found', discriminator: 'GHSA-1' });
        context.report({ node: leftPad, rule: 'found', discriminator: 'GHSA-1' });
        context.report({ node: leftPad, rule: 'found', discriminator: 'GHSA-2' });
      });

      const { findings } = await runChecks([graph], [select(check)], OPTIONS);

      expect(findings).toHaveLength(3);
      expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(3);
    });

    it('returns nothing for no graphs or no checks', async () => {
      const check = makeCheck('demo', () => {});

      expect(await runChecks([], [select(check)], OPTIONS)).toEqual({ findings: [], incomplete: [], skipped: [], notes: [] });
      expect(await runChecks([sampleGraph()], [], OPTIONS)).toEqual({ findings: [], incomplete: [], skipped: [], notes: [] });
    });

    it('reports on every package of a 50,000-package lockfile (must finish; timing is not asserted)', async () => {
      const direct = Array.from({ length: 500 }, (_, i) => `d${i}`);
      const packages: PackageNode[] = [];
      for (const [i, parent] of direct.entries()) {
        const children = Array.from({ length: 99 }, (_, j) => `${parent}/c${j}`);
        packages.push(makeNode(parent, children, { location: { file: 'package-lock.json', line: i * 100 + 1, column: 5 } }));
        for (const [j, child] of children.entries()) {
          packages.push(makeNode(child, [], { location: { file: 'package-lock.json', line: i * 100 + j + 2, column: 5 } }));
        }
      }
      const graph = makeGraph({ root: makeRoot(direct), packages });
      const check = makeCheck('demo', (context) => {
        for (const pkg of context.graph.packages) context.report({ node: pkg, rule: 'found' });
      });

      const { findings } = await runChecks([graph], [select(check)], OPTIONS);

      expect(findings).toHaveLength(50_000);
      expect(findings[0]!.package.path).toEqual(['app@0.0.0', 'd0@1.0.0']);
      expect(findings[49_999]!.package.path).toEqual(['app@0.0.0', 'd499@1.0.0', 'd499/c98@1.0.0']);
    });
  });
});
