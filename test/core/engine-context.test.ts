/** The parts of the check context beyond `report`: notes, self-skips, services and config errors. */
import { describe, expect, it } from 'vitest';
import { type AnyCheck, type CheckContext, defineCheck, type Logger } from '../../src/core/check.ts';
import { runChecks, type RunChecksOptions } from '../../src/core/engine.ts';
import { ConfigError } from '../../src/core/errors.ts';
import type { CheckServices } from '../../src/core/services.ts';
import { withoutServices } from '../../src/core/services.ts';
import { makeGraph, makeNode, makeRoot } from './make-graph.ts';

const SILENT: Logger = { debug() {}, warn() {} };
const OPTIONS: RunChecksOptions = { offline: false, signal: new AbortController().signal, log: SILENT };

function check(run: (context: CheckContext) => void | Promise<void>): AnyCheck {
  return defineCheck({
    meta: {
      id: 'demo',
      description: 'The demo check',
      rationale: 'For tests.',
      defaultSeverity: 'moderate',
      requiresNetwork: false,
      docs: 'https://example.test/docs#demo',
      tags: [],
      rules: { found: { description: 'Found it', message: '{{name}} was found' } },
    },
    run,
  });
}

function graph(path: string) {
  return makeGraph({
    lockfile: { path, format: 'npm', formatVersion: '3' },
    root: makeRoot(['node_modules/a']),
    packages: [makeNode('node_modules/a', [], { name: 'a', version: '1.0.0', location: { file: path, line: 3, column: 5 } })],
  });
}

describe('check context', () => {
  it('tells onCheckStart each (check, lockfile) run before it starts, numbered across the audit', async () => {
    const events: string[] = [];
    const first = check((context) => {
      events.push(`ran demo on ${context.graph.lockfile.path}`);
    });
    const second = defineCheck({ ...first, meta: { ...first.meta, id: 'other' } });
    await runChecks([graph('package-lock.json'), graph('tools/package-lock.json')], [{ check: first, options: undefined }, { check: second, options: undefined }], {
      ...OPTIONS,
      onCheckStart: ({ checkId, lockfile, step, steps }) => events.push(`start ${checkId} on ${lockfile} ${step}/${steps}`),
    });
    expect(events).toEqual([
      'start demo on package-lock.json 1/4',
      'ran demo on package-lock.json',
      'start other on package-lock.json 2/4',
      'ran demo on package-lock.json',
      'start demo on tools/package-lock.json 3/4',
      'ran demo on tools/package-lock.json',
      'start other on tools/package-lock.json 4/4',
      'ran demo on tools/package-lock.json',
    ]);
  });

  it('collects notes per check and lockfile', async () => {
    const demo = check((context) => context.note(`${context.graph.packages.length} package(s) withheld`));
    const result = await runChecks([graph('package-lock.json'), graph('tools/package-lock.json')], [{ check: demo, options: undefined }], OPTIONS);
    expect(result.notes).toEqual([
      { checkId: 'demo', lockfile: 'package-lock.json', message: '1 package(s) withheld' },
      { checkId: 'demo', lockfile: 'tools/package-lock.json', message: '1 package(s) withheld' },
    ]);
    expect(result.incomplete).toEqual([]);
  });

  it('lists a self-skipped check for its lockfile, keeps earlier findings, and is not incomplete', async () => {
    const demo = check((context) => {
      context.report({ node: context.graph.packages[0]!, rule: 'found' });
      if (context.graph.lockfile.path.startsWith('tools/')) context.skip('no database for this one');
      context.note('finished');
    });
    const result = await runChecks([graph('package-lock.json'), graph('tools/package-lock.json')], [{ check: demo, options: undefined }], OPTIONS);
    expect(result.skipped).toEqual([{ checkId: 'demo', lockfile: 'tools/package-lock.json', reason: 'no database for this one' }]);
    expect(result.findings.map((finding) => finding.location.file)).toEqual(['package-lock.json', 'tools/package-lock.json']);
    expect(result.notes.map((note) => note.lockfile)).toEqual(['package-lock.json']);
    expect(result.incomplete).toEqual([]);
  });

  it('lets a configuration error escape (exit 2), instead of recording a crash', async () => {
    const demo = check(() => {
      throw new ConfigError('"registry" in .npmrc is not an http(s) URL');
    });
    await expect(runChecks([graph('package-lock.json')], [{ check: demo, options: undefined }], OPTIONS)).rejects.toThrow(ConfigError);
  });

  it('hands each graph the services made for it', async () => {
    const seen: string[] = [];
    const servicesFor = (g: ReturnType<typeof graph>): CheckServices => ({ ...withoutServices(), lockfileDir: `/project/${g.lockfile.path}` });
    const demo = check((context) => {
      seen.push(context.services.lockfileDir);
    });
    await runChecks([graph('a/package-lock.json'), graph('b/package-lock.json')], [{ check: demo, options: undefined }], { ...OPTIONS, servicesFor });
    expect(seen).toEqual(['/project/a/package-lock.json', '/project/b/package-lock.json']);
  });

  it('without services, registry use is a crash that says why', async () => {
    const demo = check(async (context) => {
      await context.services.registryClient();
    });
    const result = await runChecks([graph('package-lock.json')], [{ check: demo, options: undefined }], OPTIONS);
    expect(result.incomplete).toMatchObject([{ checkId: 'demo', kind: 'crashed', message: expect.stringContaining('no registry services in this run') }]);
  });
});
