/**
 * The typosquat check against the embedded popularity snapshot (src/data, npm.tsv 2026-11-22):
 * one case per transformation, the popularity gate, allow/protect/popularList, scope
 * confusion, and the severity of direct versus transitive look-alikes. Regenerating the data
 * can change the download counts asserted here; the names and transformations should not move.
 */
import { describe, expect, it } from 'vitest';
import typosquat from '../../src/checks/typosquat.ts';
import { ConfigError } from '../../src/core/errors.ts';
import { runChecks } from '../../src/core/engine.ts';
import { selectChecks } from '../../src/core/select.ts';
import { withoutServices } from '../../src/core/services.ts';
import { type ExpectedFinding, runCheckCase, testCheck } from '../helpers/check-tester.ts';
import { graphOf, type NodeSpec } from '../helpers/graph.ts';

const SOURCE = 'npm.tsv 2026-11-22';
const names = (list: readonly string[]): NodeSpec[] => list.map((name) => ({ name }));

/** A direct dependency flagged as a look-alike, at the line graphOf gives the `index`-th package. */
function lookalike(name: string, target: string, transformation: string, index = 0): ExpectedFinding {
  return {
    ruleId: 'typosquat/lookalike',
    package: `${name}@1.0.0`,
    line: index + 2,
    column: 5,
    severity: 'high',
    message: `${name} looks like a typosquat: did you mean \`${target}\`? ${transformation}`,
  };
}

function scopeConfusion(name: string, target: string, transformation: string, index = 0): ExpectedFinding {
  return {
    ruleId: 'typosquat/scope-confusion',
    package: `${name}@1.0.0`,
    line: index + 2,
    column: 5,
    severity: 'high',
    message: `${name} imitates a popular scoped name: did you mean \`${target}\`? ${transformation}`,
  };
}

/** One invalid case per single-package graph. */
function single(finding: ExpectedFinding, options?: Record<string, unknown>) {
  const name = finding.package.slice(0, finding.package.lastIndexOf('@'));
  return { name: `${name}: ${finding.message?.split('? ')[1] ?? ''}`, graph: graphOf([{ name }]), options, findings: [finding] };
}

testCheck(typosquat, {
  valid: [
    {
      name: 'popular names, including legitimate look-alike pairs (react/preact, chalk/chai, colors/color)',
      graph: graphOf(names(['react', 'preact', 'chalk', 'chai', 'colors', 'color', 'lodash', 'lodash-es', 'cross-env', 'inherits'])),
    },
    {
      name: 'known names below the popularity ratio (eslint-plugin-regex: 539k vs 5.2M a month)',
      graph: graphOf(names(['eslint-plugin-regex'])),
    },
    {
      name: 'known names whose only link is weak evidence: an old unscoped name, a singular',
      graph: graphOf(names(['readdir-enhanced', 'inherit'])),
    },
    {
      name: 'short words and one-letter words are not typos (tryer/tryor, yargz/yargs, react-x/react)',
      graph: graphOf(names(['tryer', 'yargz', 'react-x'])),
    },
    { name: 'unrelated names', graph: graphOf(names(['pkgguard-fixture-unrelated', '@acme/internal-thing'])) },
    {
      name: 'allowed by name and by scope',
      graph: graphOf(names(['crossenv', '@acme/config'])),
      options: { allow: ['crossenv', '@acme/*'] },
    },
    // The names below made every audit of a common project fail: real packages, in the real
    // lockfiles of ../shared/bench/sink, that the snapshot's numbers alone would flag.
    {
      name: 'a candidate with downloads of its own: angular-material (248k a month) is not @angular/material written flat',
      graph: graphOf(names(['angular-material'])),
    },
    {
      name: 'a scope known from the names below the protected list: @abp/jquery (@abp publishes @abp/lodash, @abp/moment...)',
      graph: graphOf(names(['@abp/jquery'])),
    },
    {
      name: 'a package newer than the snapshot, pulled in by a protected one: @nodable/entities by fast-xml-parser (254M a month)',
      graph: graphOf([
        { name: 'fast-xml-parser' },
        { name: '@nodable/entities', id: 'node_modules/fast-xml-parser/node_modules/@nodable/entities' },
      ]),
    },
    {
      name: 'a package newer than the snapshot, pulled in by a protected one: @electron-internal/extract-zip by electron (10M a month)',
      graph: graphOf([
        { name: 'electron' },
        { name: '@electron-internal/extract-zip', id: 'node_modules/electron/node_modules/@electron-internal/extract-zip' },
      ]),
    },
    {
      name: 'helpers published under a popular package\'s name as a scope, pulled in by it: @simple-git/* by simple-git (48M a month)',
      graph: graphOf([
        { name: 'simple-git' },
        { name: '@simple-git/argv-parser', id: 'node_modules/simple-git/node_modules/@simple-git/argv-parser' },
        { name: '@simple-git/args-pathspec', id: 'node_modules/simple-git/node_modules/@simple-git/args-pathspec' },
      ]),
    },
    {
      name: 'a package newer than the snapshot with a trimmed affix, pulled in by a protected one: @opentelemetry/sdk-trace by @opentelemetry/sdk-trace-base',
      graph: graphOf([
        { name: '@opentelemetry/sdk-trace-base' },
        { name: '@opentelemetry/sdk-trace', id: 'node_modules/@opentelemetry/sdk-trace-base/node_modules/@opentelemetry/sdk-trace' },
      ]),
    },
    {
      name: 'sources that are not the registry: a git dependency, a local directory',
      graph: graphOf([
        { name: 'crossenv', source: { type: 'git', url: 'git+ssh://git@git.example/crossenv.git', committish: 'abc' } },
        { name: 'types-node', source: { type: 'directory', path: 'packages/types-node' } },
      ]),
    },
  ],
  invalid: [
    {
      name: 'separator removed: the 2017 crossenv, with its data and fix',
      graph: graphOf(names(['crossenv'])),
      findings: [
        {
          ...lookalike('crossenv', 'cross-env', 'separator `-` removed'),
          data: {
            target: 'cross-env',
            transformation: 'separator `-` removed',
            targetDownloads: 59_853_222,
            candidateDownloads: 10_533,
            popularitySource: SOURCE,
          },
          fix: {
            description:
              'If you meant cross-env, replace crossenv with it and rotate any secrets the install could read; if crossenv is intended, add it to the typosquat "allow" option.',
            command: 'npm uninstall crossenv && npm install cross-env',
          },
        },
      ],
    },
    single(lookalike('cross_env', 'cross-env', 'separator changed (`_` for `-`)')),
    single(lookalike('nodemailer.js', 'nodemailer', 'suffix `.js` added')),
    single(lookalike('mysqljs', 'mysql', 'suffix `js` added')),
    single(lookalike('noderequest', 'request', 'prefix `node` added')),
    single(lookalike('twilio-npm', 'twilio', 'suffix `-npm` added')),
    single(lookalike('lodash4', 'lodash', 'version suffix `4` added')),
    single(lookalike('chalk-v2', 'chalk', 'version suffix `v2` added')),
    single(lookalike('webpacks', 'webpack', 'plural `s` added')),
    single(lookalike('ansi-style', 'ansi-styles', 'trailing `s` removed')),
    single(lookalike('1odash', 'lodash', 'look-alike character (`1` for `l`)')),
    single(lookalike('rnongoose', 'mongoose', 'look-alike characters (`rn` for `m`)')),
    single(lookalike('vvebpack', 'webpack', 'look-alike characters (`vv` for `w`)')),
    single(lookalike('mongose', 'mongoose', 'doubled `o` written once')),
    single(lookalike('commmander', 'commander', 'character `m` repeated')),
    single(lookalike('jquey', 'jquery', 'character `r` omitted')),
    single(lookalike('sqliter', 'sqlite', 'character `r` added')),
    single(lookalike('axois', 'axios', 'adjacent letters swapped (`io` → `oi`)')),
    single(lookalike('commqnder', 'commander', 'character substituted (`q` for `a`)')),
    single(scopeConfusion('types-node', '@types/node', 'scope `@types/` written as part of the name')),
    single(scopeConfusion('core-tracing', '@azure/core-tracing', 'scope `@azure/` dropped')),
    single(scopeConfusion('@dexwilt/node-fetch', 'node-fetch', 'moved into the unknown scope `@dexwilt`')),
    single(scopeConfusion('@typess/node', '@types/node', 'look-alike scope `@typess` (for `@types`)')),
    single(
      scopeConfusion(
        '@typescript_eslinter/eslint',
        '@typescript-eslint/eslint-plugin',
        'look-alike scope `@typescript_eslinter` (for `@typescript-eslint`)',
      ),
    ),
    single(scopeConfusion('@async-mutex/mutex', 'async-mutex', 'the name of `async-mutex` used as a scope')),
    // The same two names with no protected package depending on them: the dependent is what vouched.
    single(scopeConfusion('@nodable/entities', 'entities', 'moved into the unknown scope `@nodable`')),
    single(scopeConfusion('@electron-internal/extract-zip', 'extract-zip', 'moved into the unknown scope `@electron-internal`')),
    single(scopeConfusion('@simple-git/argv-parser', 'simple-git', 'the name of `simple-git` used as a scope')),
    single(lookalike('@opentelemetry/sdk-trace', '@opentelemetry/sdk-trace-node', 'suffix `-node` removed')),
    {
      name: 'a protected dependent vouches only up to the popularity ratio: types-node under electron (10M a month) still imitates @types/node (1,034M)',
      graph: graphOf([{ name: 'electron' }, { name: 'types-node', id: 'node_modules/electron/node_modules/types-node' }]),
      findings: [
        {
          ...scopeConfusion('types-node', '@types/node', 'scope `@types/` written as part of the name', 1),
          severity: 'moderate',
          data: {
            target: '@types/node',
            transformation: 'scope `@types/` written as part of the name',
            targetDownloads: 1_033_889_329,
            popularitySource: SOURCE,
          },
        },
      ],
    },
    {
      name: 'a transitive look-alike is moderate, with a "why is it here" command',
      graph: graphOf([{ name: 'pkgguard-fixture-app' }, { name: 'mongose', id: 'node_modules/pkgguard-fixture-app/node_modules/mongose' }]),
      findings: [
        {
          ...lookalike('mongose', 'mongoose', 'doubled `o` written once', 1),
          severity: 'moderate',
          fix: {
            description:
              'Find the dependency that pulls in mongose and report it upstream; if mongose is intended, add it to the typosquat "allow" option.',
            command: 'npm explain mongose',
          },
        },
      ],
    },
    {
      name: 'the fix names the package manager of the lockfile',
      graph: graphOf(names(['axois']), { lockfile: { path: 'yarn.lock', format: 'yarn-classic', formatVersion: '1' } }),
      findings: [
        {
          ruleId: 'typosquat/lookalike',
          package: 'axois@1.0.0',
          line: 2,
          column: 5,
          fix: {
            description:
              'If you meant axios, replace axois with it and rotate any secrets the install could read; if axois is intended, add it to the typosquat "allow" option.',
            command: 'yarn remove axois && yarn add axios',
          },
        },
      ],
    },
    {
      name: 'protected internal names: flattened and misspelt',
      graph: graphOf(names(['acme-auth-client', '@acme/auth-clinet', '@acme/auth-client'])),
      options: { protect: ['@acme/auth-client'] },
      findings: [
        {
          ...scopeConfusion('acme-auth-client', '@acme/auth-client', 'scope `@acme/` written as part of the name'),
          data: {
            target: '@acme/auth-client',
            transformation: 'scope `@acme/` written as part of the name',
            targetProtected: 'yes',
            popularitySource: 'typosquat.protect',
          },
        },
        lookalike('@acme/auth-clinet', '@acme/auth-client', 'adjacent letters swapped (`en` → `ne`)', 1),
      ],
    },
    {
      name: 'a popularList replaces the embedded list',
      graph: graphOf(names(['crossenv', 'internal-tolkit'])),
      options: { popularList: { path: 'popular.txt', text: '# our own\ninternal-toolkit 5000000\n' } },
      findings: [
        {
          ...lookalike('internal-tolkit', 'internal-toolkit', 'doubled `o` written once', 1),
          data: {
            target: 'internal-toolkit',
            transformation: 'doubled `o` written once',
            targetDownloads: 5_000_000,
            popularitySource: 'popular.txt',
          },
        },
      ],
    },
  ],
});

describe('check "typosquat" options', () => {
  const graph = graphOf(names(['crossenv']));

  it('rejects a popularList the loader did not read, with the reason', async () => {
    await expect(runCheckCase(typosquat, { name: 'path', graph, options: { popularList: 'popular.txt' } })).rejects.toThrow(
      new ConfigError('checks.typosquat.popularList: expected the path of a list file (the configuration loader reads it)'),
    );
  });

  it('rejects malformed lines of a popularList with the file and line', async () => {
    const options = { popularList: { path: 'popular.txt', text: 'good-name 10\nbad name here\n' } };
    await expect(runCheckCase(typosquat, { name: 'bad line', graph, options })).rejects.toThrow(
      'checks.typosquat.popularList: popular.txt: line 2: expected "<package name> [monthly downloads]", got "bad name here"',
    );
  });

  it('rejects unknown option keys', async () => {
    await expect(runCheckCase(typosquat, { name: 'typo', graph, options: { alow: ['x'] } })).rejects.toThrow(ConfigError);
  });
});

describe('names declared private in the configuration', () => {
  /** runChecks with services whose only difference from none is the top-level privacy settings. */
  async function runWithPrivacy(packageNames: readonly string[], privacy: { privateScopes: string[]; internalPackages: string[] }) {
    const { selected } = await selectChecks([typosquat], { offline: true, settings: {} });
    const result = await runChecks([graphOf(names(packageNames))], selected, {
      offline: true,
      signal: new AbortController().signal,
      log: { debug() {}, warn() {} },
      servicesFor: () => ({ ...withoutServices(), privacy }),
    });
    return result.findings.map((finding) => [finding.package.name, finding.data['target'], finding.data['popularitySource']]);
  }

  it('protects internalPackages like "protect" entries', async () => {
    expect(await runWithPrivacy(['billing-cor', 'billing-core'], { privateScopes: [], internalPackages: ['billing-core'] })).toEqual([
      ['billing-cor', 'billing-core', 'internalPackages'],
    ]);
  });

  it('knows privateScopes: a popular word in a private scope is not a popular name moved into an unknown scope', async () => {
    expect(await runWithPrivacy(['@acme/node-fetch'], { privateScopes: [], internalPackages: [] })).toHaveLength(1);
    expect(await runWithPrivacy(['@acme/node-fetch'], { privateScopes: ['@acme'], internalPackages: [] })).toEqual([]);
  });
});
