/**
 * @file Flags packages whose name imitates a far more popular one (`crossenv` for `cross-env`,
 * `@typess/node` for `@types/node`). Threat: typosquats are among the commonest ways malware
 * reaches a project; a dropped letter in `npm install` or in a dependency's manifest is enough.
 */
import { defineCheck } from '../core/check.ts';
import type { FixHint } from '../core/finding.ts';
import type { DependencyEdge, DependencyGraph, LockfileFormat, PackageNode } from '../core/graph.ts';
import { registryNodesByName } from '../core/registry-names.ts';
import { passesPopularityGate } from './typosquat/gate.ts';
import { findLookalikes, type Lookalike, type MatchScope } from './typosquat/matcher.ts';
import { buildPopularIndex, type PopularIndex } from './typosquat/popular-index.ts';
import { embeddedReferenceData, userReferenceData } from './typosquat/reference-data.ts';
import type { TyposquatOptions } from './typosquat/options.ts';

export type { TyposquatOptions } from './typosquat/options.ts';

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
    const { privacy } = context.services;
    const data = options.popularList ? userReferenceData(options.popularList) : await embeddedReferenceData();
    // Internal names (top-level `internalPackages`) are protected like `protect` entries, and
    // private scopes are known ones: `@corp/config` is not "config moved into an unknown scope".
    const protect = [...options.protect, ...privacy.internalPackages];
    const protectedIndex = protect.length > 0 ? buildPopularIndex(protect.map((name) => ({ name, downloads: Infinity }))) : undefined;
    const protectedScopes = new Set([...scopesOf(options.protect), ...privacy.privateScopes.map((scope) => scope.replace(/^@/, '').toLowerCase())]);
    const scope: MatchScope = {
      indexes: protectedIndex ? [protectedIndex, data.index] : [data.index],
      knownScopes: protectedScopes.size === 0 ? data.knownScopes : { has: (s) => protectedScopes.has(s) || data.knownScopes.has(s) },
    };
    // With no names or scopes added by the configuration, the data's small look-alike tier knows
    // every candidate it can be asked about (see reference-data.ts).
    const matchedAsShipped = protectedIndex === undefined && protectedScopes.size === 0;
    const isAllowed = allowMatcher(options.allow);
    const isPopular = (lower: string): boolean => {
      for (let i = 0; i < scope.indexes.length; i++) if ((scope.indexes[i] as PopularIndex).has(lower)) return true;
      return false;
    };

    // Every registry name once, in lockfile order; most are popular ones, answered without a
    // promise, and only the few with a look-alike are asked about their downloads.
    const candidates = lookalikeCandidates(graph, (name) => {
      if (isAllowed(name) || isPopular(name.toLowerCase())) return undefined;
      const lookalikes = findLookalikes(name, scope);
      return lookalikes.length === 0 ? undefined : lookalikes;
    });
    const suspects: Suspect[] = [];
    for (const { name, nodes, lookalikes } of candidates) {
      const candidateDownloads = await data.downloadsOf(name, matchedAsShipped);
      if (lookalikes.some((lookalike) => passesPopularityGate(lookalike, candidateDownloads, data.unknownCeiling))) {
        suspects.push({ nodes, lookalikes, candidateDownloads });
      }
    }
    if (suspects.length === 0) return;

    const inherited = dependentDownloads(graph, suspects, data.index);
    const direct = directDependencyIds(graph);
    for (const { nodes, lookalikes, candidateDownloads } of suspects) {
      const vouched = Math.max(...nodes.map((node) => inherited.get(node.id) ?? 0));
      const estimate = vouched > 0 ? Math.max(candidateDownloads ?? data.unknownCeiling, vouched) : candidateDownloads;
      const lookalike = lookalikes.find((candidate) => passesPopularityGate(candidate, estimate, data.unknownCeiling));
      if (!lookalike) continue;
      const { target, steps } = lookalike;
      for (const node of nodes) {
        const isDirect = direct.has(node.id);
        context.report({
          node,
          rule: steps.some((step) => step.kind.startsWith('scope-')) ? 'scope-confusion' : 'lookalike',
          severity: isDirect ? 'high' : 'moderate',
          data: {
            target: target.name,
            transformation: steps.map((step) => step.text).join(', '),
            ...(Number.isFinite(target.downloads) ? { targetDownloads: target.downloads } : { targetProtected: 'yes' }),
            ...(candidateDownloads === undefined ? {} : { candidateDownloads }),
            popularitySource:
              protectedIndex?.get(target.name.toLowerCase()) !== target
                ? data.source
                : options.protect.includes(target.name)
                  ? 'typosquat.protect'
                  : 'internalPackages',
          },
          fix: fixFor(node.name, target.name, isDirect, graph.lockfile.format),
        });
      }
    }
  },
});

/** A name with a look-alike that passes the popularity gate on the data's own numbers. */
interface Suspect {
  readonly nodes: readonly PackageNode[];
  /** Best first. */
  readonly lookalikes: readonly Lookalike[];
  readonly candidateDownloads: number | undefined;
}

/** A registry name with look-alikes, and its packages. */
interface Candidate {
  readonly name: string;
  readonly nodes: readonly PackageNode[];
  /** Best first. */
  readonly lookalikes: readonly Lookalike[];
}

/**
 * The registry names `lookalikesOf` finds look-alikes for, with their packages, in lockfile
 * order: one verdict per name, however many copies, from the graph's registry packages by name
 * (shared with the registry checks: grouping every name of a big lockfile showed in cold profiles).
 */
function lookalikeCandidates(graph: DependencyGraph, lookalikesOf: (name: string) => readonly Lookalike[] | undefined): Candidate[] {
  const candidates: Candidate[] = [];
  // forEach, not for-of: no entry array per name.
  registryNodesByName(graph).forEach((nodes, name) => {
    const lookalikes = lookalikesOf(name);
    if (lookalikes !== undefined) candidates.push({ name, nodes, lookalikes });
  });
  return candidates;
}

/**
 * For each suspect's package, the downloads of the most downloaded protected package in this
 * lockfile that depends on it.
 *
 * Every install of a package installs its dependencies, so a dependency of a protected package is
 * about as used as it is, whatever the (older) snapshot says of the dependency: the suspect's
 * downloads are at least that, and the popularity gate is applied again with them. This keeps a
 * package published after the snapshot, under a new scope, and pulled in by a popular package
 * (`@nodable/entities` by fast-xml-parser) from reading as a squat. One pass over the edges, and
 * only when there is a suspect at all.
 */
function dependentDownloads(graph: DependencyGraph, suspects: readonly Suspect[], index: PopularIndex): Map<string, number> {
  const wanted = new Set<string>();
  for (const { nodes } of suspects) for (const node of nodes) wanted.add(node.id);
  const most = new Map<string, number>();
  const { packages } = graph;
  // The project and its workspaces vouch for nothing: only registry packages are in the data.
  // Indexed loops: this walks every edge of the lockfile, and iterators show in cold profiles.
  for (let i = 0; i < packages.length; i++) {
    const dependent = packages[i] as PackageNode;
    if (dependent.source.type !== 'registry') continue;
    const edges = dependent.dependencies;
    let downloads: number | undefined;
    for (let j = 0; j < edges.length; j++) {
      const to = (edges[j] as DependencyEdge).to;
      if (to === undefined || !wanted.has(to) || to === dependent.id) continue;
      downloads ??= index.get(dependent.name.toLowerCase())?.downloads ?? 0;
      if (downloads > (most.get(to) ?? 0)) most.set(to, downloads);
    }
  }
  return most;
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
  // The usual case, asked for every name of the lockfile.
  if (allow.length === 0) return () => false;
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
