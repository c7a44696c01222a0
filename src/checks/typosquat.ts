/**
 * @file Flags packages whose name imitates a far more popular one (`crossenv` for `cross-env`,
 * `@typess/node` for `@types/node`). Threat: typosquats are among the commonest ways malware
 * reaches a project; a dropped letter in `npm install` or in a dependency's manifest is enough.
 */
import { defineCheck } from '../core/check.ts';
import type { FixHint } from '../core/finding.ts';
import type { DependencyGraph, LockfileFormat } from '../core/graph.ts';
import { passesPopularityGate } from './typosquat/gate.ts';
import { findLookalikes, type Lookalike, type MatchScope } from './typosquat/matcher.ts';
import { buildPopularIndex } from './typosquat/popular-index.ts';
import { embeddedReferenceData, type ReferenceData, userReferenceData } from './typosquat/reference-data.ts';
import type { TyposquatOptions } from './typosquat/options.ts';

export type { TyposquatOptions } from './typosquat/options.ts';

interface Verdict {
  readonly lookalike: Lookalike;
  readonly candidateDownloads: number | undefined;
}

/** zod loads only when a configuration sets options: it is not on the start-up path. */
async function loadOptionsSchema() {
  return (await import('./typosquat/options.ts')).optionsSchema;
}

export default defineCheck({
  meta: {
    id: 'typosquat',
    description: 'Flag packages whose name imitates a far more popular package',
    rationale:
      'Typosquatting publishes malware under a name one slip away from a popular package: a dropped or ' +
      'swapped letter, a removed separator, an added "-js", a look-alike scope. Every package in the lockfile ' +
      'that is not itself popular is compared with the most downloaded npm names, and reported only when its ' +
      'look-alike is far more popular than it is, so legitimate pairs such as react/preact stay quiet.',
    defaultSeverity: 'high',
    requiresNetwork: false,
    docs: 'https://github.com/pkgguard/pkgguard#typosquat',
    tags: ['supply-chain', 'naming'],
    rules: {
      lookalike: {
        description: 'Package name looks like a far more popular package',
        message: '{{name}} looks like a typosquat: did you mean `{{target}}`? {{transformation}}',
      },
      'scope-confusion': {
        description: 'Package name moves, drops or imitates the scope of a far more popular package',
        message: '{{name}} imitates a popular scoped name: did you mean `{{target}}`? {{transformation}}',
      },
    },
    options: {
      defaults: { allow: [], protect: [] } satisfies TyposquatOptions,
      schema: loadOptionsSchema,
    },
  },
  async run(context) {
    const { graph, options } = context;
    const data = options.popularList ? userReferenceData(options.popularList) : await embeddedReferenceData();
    const protectedIndex = buildPopularIndex(options.protect.map((name) => ({ name, downloads: Infinity })));
    const scope: MatchScope = {
      indexes: [protectedIndex, data.index],
      knownScopes: new Set([...data.knownScopes, ...scopesOf(options.protect)]),
    };
    const isAllowed = allowMatcher(options.allow);
    const direct = directDependencyIds(graph);
    const verdicts = new Map<string, Verdict | undefined>();
    for (const node of graph.packages) {
      if (node.source.type !== 'registry') continue;
      if (!verdicts.has(node.name)) {
        const popular = scope.indexes.some((index) => index.byName.has(node.name.toLowerCase()));
        verdicts.set(node.name, isAllowed(node.name) || popular ? undefined : await judge(node.name, scope, data));
      }
      const verdict = verdicts.get(node.name);
      if (!verdict) continue;
      const { target, steps } = verdict.lookalike;
      const isDirect = direct.has(node.id);
      context.report({
        node,
        rule: steps.some((step) => step.kind.startsWith('scope-')) ? 'scope-confusion' : 'lookalike',
        severity: isDirect ? 'high' : 'moderate',
        data: {
          target: target.name,
          transformation: steps.map((step) => step.text).join(', '),
          ...(Number.isFinite(target.downloads) ? { targetDownloads: target.downloads } : { targetProtected: 'yes' }),
          ...(verdict.candidateDownloads === undefined ? {} : { candidateDownloads: verdict.candidateDownloads }),
          popularitySource: protectedIndex.byName.get(target.name.toLowerCase()) === target ? 'typosquat.protect' : data.source,
        },
        fix: fixFor(node.name, target.name, isDirect, graph.lockfile.format),
      });
    }
  },
});

/** The best look-alike whose target passes the popularity gate, if any. */
async function judge(name: string, scope: MatchScope, data: ReferenceData): Promise<Verdict | undefined> {
  const lookalikes = findLookalikes(name, scope);
  if (lookalikes.length === 0) return undefined;
  const candidateDownloads = await data.downloadsOf(name);
  const lookalike = lookalikes.find((candidate) => passesPopularityGate(candidate, candidateDownloads, data.unknownCeiling));
  return lookalike && { lookalike, candidateDownloads };
}

/** Ids of packages a root or a workspace depends on by name: the ones someone typed. */
function directDependencyIds(graph: DependencyGraph): Set<string> {
  const ids = new Set<string>();
  for (const owner of [graph.root, ...graph.importers]) {
    for (const edge of owner.dependencies) if (edge.to !== undefined) ids.add(edge.to);
  }
  return ids;
}

function allowMatcher(allow: readonly string[]): (name: string) => boolean {
  const names = new Set(allow.filter((entry) => !entry.endsWith('/*')).map((entry) => entry.toLowerCase()));
  const scopes = allow.filter((entry) => entry.endsWith('/*')).map((entry) => entry.slice(0, -1).toLowerCase());
  return (name) => {
    const lower = name.toLowerCase();
    return names.has(lower) || scopes.some((prefix) => lower.startsWith(prefix));
  };
}

function scopesOf(names: readonly string[]): string[] {
  return names.filter((name) => name.startsWith('@') && name.includes('/')).map((name) => name.slice(1, name.indexOf('/')));
}

const PACKAGE_MANAGER: Readonly<Record<LockfileFormat, { replace: string; explain: string }>> = {
  npm: { replace: 'npm uninstall {{name}} && npm install {{target}}', explain: 'npm explain {{name}}' },
  'yarn-classic': { replace: 'yarn remove {{name}} && yarn add {{target}}', explain: 'yarn why {{name}}' },
  'yarn-berry': { replace: 'yarn remove {{name}} && yarn add {{target}}', explain: 'yarn why {{name}}' },
  pnpm: { replace: 'pnpm remove {{name}} && pnpm add {{target}}', explain: 'pnpm why {{name}}' },
  bun: { replace: 'bun remove {{name}} && bun add {{target}}', explain: 'bun why {{name}}' },
};

function fixFor(name: string, target: string, isDirect: boolean, format: LockfileFormat): FixHint {
  const fill = (template: string): string => template.replaceAll('{{name}}', name).replaceAll('{{target}}', target);
  if (isDirect) {
    return {
      description: `If you meant ${target}, replace ${name} with it and rotate any secrets the install could read; if ${name} is intended, add it to the typosquat "allow" option.`,
      command: fill(PACKAGE_MANAGER[format].replace),
    };
  }
  return {
    description: `Find the dependency that pulls in ${name} and report it upstream; if ${name} is intended, add it to the typosquat "allow" option.`,
    command: fill(PACKAGE_MANAGER[format].explain),
  };
}
