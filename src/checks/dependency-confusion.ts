/**
 * @file Flags private package names that could be, or already were, served from a public
 * registry: private-scope packages downloaded from the wrong host, private scopes without a
 * registry mapping, internal unscoped names that exist (or can be claimed) publicly, and
 * published workspace names that are free or someone else's.
 *
 * Threat: dependency confusion (Birsan, 2021). A package manager resolves a name from whatever
 * registry its configuration names for it; when that is the public registry, or a proxy that
 * merges it in, anyone who publishes the internal name there (with a high version, 99.0.0) gets
 * their code installed and run inside the organisation.
 *
 * Model: the offline part reads the lockfile against the registry configuration (where each
 * name resolves today, and where the lockfile says it came from); the online part asks the
 * public registry (npm's built-in default, or the `publicRegistry` option; never the user's
 * configured default, which may be a private proxy) about unscoped internal names, names in
 * `checkableScopes` and published workspace names. Names of other private scopes never leave.
 */
import { type CheckContext, defineCheck } from '../core/check.ts';
import type { FixHint } from '../core/finding.ts';
import type { PackageNode } from '../core/graph.ts';
import { defaultRegistries, type RegistryConfig, type RegistryConfigSource, redactUrl, scopeOf } from '../registry/registry-config.ts';
import { underAnyRegistry } from '../registry/resolution-url.ts';
import type { RegistryClient } from '../registry/types.ts';
import type { DependencyConfusionOptions } from './dependency-confusion/options.ts';
import type * as PublicNamesModule from './dependency-confusion/public-names.ts';

type PublicNames = typeof PublicNamesModule;
import { downloadUrlOf, type PrivateNames, privateNamesOf } from './dependency-confusion/private-names.ts';
import { resolutionOf } from './dependency-confusion/resolution.ts';
import { readWorkspaces, type Workspace } from './dependency-confusion/workspaces.ts';

export type { DependencyConfusionOptions } from './dependency-confusion/options.ts';

type RuleKey =
  | 'resolved-from-wrong-registry'
  | 'unmapped-private-scope'
  | 'internal-name-public'
  | 'internal-name-unclaimed'
  | 'workspace-name-unclaimed'
  | 'workspace-name-foreign';

/** zod loads only when a configuration sets options: it is not on the start-up path. */
async function loadOptionsSchema() {
  return (await import('./dependency-confusion/options.ts')).optionsSchema;
}

/** Where a scope mapping is written, per configuration source, for fix hints. */
const SCOPE_MAPPING: Readonly<Record<RegistryConfigSource, (scope: string) => string>> = {
  npm: (scope) => `add "${scope}:registry=<your registry URL>" to the project's .npmrc`,
  pnpm: (scope) => `add "${scope}:registry=<your registry URL>" to the project's .npmrc`,
  'yarn-berry': (scope) => `add "npmScopes: { ${scope.slice(1)}: { npmRegistryServer: <your registry URL> } }" to the project's .yarnrc.yml`,
};

function mappingFix(config: RegistryConfig, scope: string): FixHint {
  return { description: `Map the scope to your private registry: ${SCOPE_MAPPING[config.source](scope)}.` };
}

/** Registry packages of unmapped private scopes (no registry configured), by scope, in lockfile order. */
function membersOfUnmappedScopes(nodes: readonly PackageNode[], names: PrivateNames): Map<string, PackageNode[]> {
  const members = new Map<string, PackageNode[]>();
  let unmapped = false;
  for (const privateScope of names.scopes.values()) unmapped ||= privateScope.registry === undefined;
  if (!unmapped) return members;
  for (const node of nodes) {
    if (node.source.type !== 'registry') continue;
    const scope = scopeOf(node.name);
    const privateScope = scope === undefined ? undefined : names.scopes.get(scope);
    if (scope === undefined || privateScope === undefined || privateScope.registry !== undefined) continue;
    const list = members.get(scope);
    if (list) list.push(node);
    else members.set(scope, [node]);
  }
  return members;
}

/** Registry packages with an internal name or in a private scope, by name, in lockfile order. */
function privateRegistryPackagesByName(nodes: readonly PackageNode[], names: PrivateNames): Map<string, PackageNode[]> {
  const grouped = new Map<string, PackageNode[]>();
  if (names.internal.size === 0 && names.scopes.size === 0) return grouped;
  for (const node of nodes) {
    if (node.source.type !== 'registry') continue;
    const list = grouped.get(node.name);
    if (list) list.push(node);
    else if (names.internal.has(node.name) || names.scopes.has(scopeOf(node.name) ?? '')) grouped.set(node.name, [node]);
  }
  return grouped;
}

/** One "lies under this registry" test per registry, built when first needed. */
function matcherOf(matchers: Map<string, (url: string) => boolean>, registry: string): (url: string) => boolean {
  let matcher = matchers.get(registry);
  if (matcher === undefined) {
    matcher = underAnyRegistry([registry]);
    matchers.set(registry, matcher);
  }
  return matcher;
}

/** semver comes with it (≈ 50 ms): loaded only when a public registry answer is compared. */
async function loadPublicNames(): Promise<PublicNames> {
  return import('./dependency-confusion/public-names.ts');
}

/** The copy with the highest version: the one a public release must beat to be picked. */
function highestLocked(nodes: readonly PackageNode[], isAbove: (candidate: string | undefined, locked: string) => boolean): PackageNode {
  return nodes.reduce((best, node) => (isAbove(node.version, best.version) ? node : best));
}

/** Why `name` is private and where it must come from, or undefined when it is not private. */
interface Expectation {
  readonly because: string;
  /** The registry it must come from, or a description when none is configured. */
  readonly expected: string;
  /** True when only a download from the public registry proves it wrong (no registry is configured for it). */
  readonly onlyPublicIsWrong: boolean;
  readonly registry: string | undefined;
}

function expectationFor(name: string, names: PrivateNames, privateWorkspaces: ReadonlySet<string>, config: RegistryConfig): Expectation | undefined {
  const scope = scopeOf(name);
  const privateScope = scope === undefined ? undefined : names.scopes.get(scope);
  if (scope !== undefined && privateScope !== undefined) {
    const { registry } = privateScope;
    return registry === undefined
      ? { because: `${scope} is private (${privateScope.because})`, expected: `the private registry of ${scope} (none is configured)`, onlyPublicIsWrong: true, registry }
      : { because: `${scope} is private (${privateScope.because})`, expected: redactUrl(registry), onlyPublicIsWrong: false, registry };
  }
  const internal = names.internal.get(name) ?? (privateWorkspaces.has(name) ? 'a workspace of this project marked "private": true' : undefined);
  if (internal === undefined) return undefined;
  return { because: `it is internal (${internal})`, expected: `the default registry ${redactUrl(config.defaultRegistry)}`, onlyPublicIsWrong: true, registry: undefined };
}

export default defineCheck({
  meta: {
    id: 'dependency-confusion',
    description: 'Flag private package names that could be, or were, served from a public registry',
    rationale:
      'Dependency confusion installs an attacker\'s public package in place of an internal one of the same name. ' +
      'This check reads the lockfile against the real registry configuration (.npmrc, .yarnrc.yml, pnpm settings): ' +
      'it reports private-scope and internal packages that were downloaded from the public registry, private scopes ' +
      'without a registry mapping, internal unscoped names that exist on the public registry (critical when a public ' +
      'version is above the locked one) or that anyone could still register there, and published workspace names ' +
      'that are free or belong to someone else. Names of private scopes are never sent to the public registry.',
    defaultSeverity: 'high',
    requiresNetwork: true,
    runsOffline: true,
    docs: 'https://github.com/pkgguard/pkgguard#dependency-confusion',
    tags: ['supply-chain', 'dependency-confusion', 'registry'],
    rules: {
      'resolved-from-wrong-registry': {
        description: 'A private package was downloaded from a registry other than its own',
        message:
          '{{name}}@{{version}} was downloaded from {{actual}}, but {{because}} and must come from {{expected}}; today it resolves to {{resolvesTo}} ({{resolvesBecause}})',
        severity: 'critical',
      },
      'unmapped-private-scope': {
        description: 'A private scope has no registry mapping, so it resolves from the default registry',
        message:
          'private scope {{scope}} ({{because}}) has no registry mapping: {{name}} and {{others}} other lockfile entries of the scope resolve to {{resolvesTo}} ({{resolvesBecause}}), where anyone who claims the scope can publish',
        severity: 'high',
      },
      'internal-name-public': {
        description: 'An internal package name exists on the public registry',
        message:
          'internal package {{name}} ({{because}}) exists on the public registry {{publicRegistry}}, highest version {{publicVersion}} (locked {{lockedVersion}}); it resolves to {{resolvesTo}} ({{resolvesBecause}})',
        severity: 'high',
      },
      'internal-name-unclaimed': {
        description: 'An internal package name is free on the public registry: anyone can claim it',
        message:
          'internal package {{name}} ({{because}}) is not registered on the public registry {{publicRegistry}}: anyone can publish it there, and it resolves to {{resolvesTo}} ({{resolvesBecause}})',
        severity: 'moderate',
      },
      'workspace-name-unclaimed': {
        description: 'A workspace package that is not private has a name that is free on the public registry',
        message:
          'workspace package {{name}} ({{manifest}}) is not "private": true and its name is free on the public registry {{publicRegistry}}: anyone can publish it, and a dependent that misses the workspace resolves it to {{resolvesTo}}',
        severity: 'moderate',
      },
      'workspace-name-foreign': {
        description: 'A workspace package that is not private has a name that another package holds on the public registry',
        message:
          'workspace package {{name}} ({{manifest}}) is not "private": true and its name belongs to another package on the public registry {{publicRegistry}} (highest version {{publicVersion}}, none is {{workspaceVersion}}); a dependent that misses the workspace gets that package from {{resolvesTo}}',
        severity: 'moderate',
      },
    },
    options: {
      defaults: { checkableScopes: [], publicPlaceholders: [] } satisfies DependencyConfusionOptions,
      schema: loadOptionsSchema,
    },
  },
  async run(context) {
    const { graph, options, services } = context;
    const config = await services.registryConfig();
    const publicClient = await services.publicRegistryClient(options.publicRegistry);
    const publicRegistry = publicClient.config.defaultRegistry;
    const names = privateNamesOf(graph, config, services.privacy, publicRegistry);
    // yarn 1 writes its own alias host for npm's registry: when that is the public one, so is the alias.
    const publicRegistries = publicRegistry === config.defaultRegistry ? defaultRegistries(config) : [publicRegistry];
    const { workspaces, skipped } = await readWorkspaces(graph, (file) => services.readProjectFile(file));
    for (const manifest of skipped) context.log.debug(`dependency-confusion: no readable package name in ${manifest}`);
    const privateWorkspaces = new Set(workspaces.filter((workspace) => workspace.isPrivate).map((workspace) => workspace.name));
    // Most lockfiles hold no private name at all: then no package needs a second look.
    const anyPrivate = names.scopes.size > 0 || names.internal.size > 0 || privateWorkspaces.size > 0;

    // 1. It happened: a private name downloaded from a registry that is not its own.
    let unknownOrigin = 0;
    const isPublic = underAnyRegistry(publicRegistries);
    const underRegistry = new Map<string, (url: string) => boolean>();
    for (const node of anyPrivate ? graph.packages : []) {
      if (node.source.type !== 'registry') continue;
      const expectation = expectationFor(node.name, names, privateWorkspaces, config);
      if (expectation === undefined) continue;
      const url = downloadUrlOf(node);
      if (url === undefined) {
        unknownOrigin += 1;
        continue;
      }
      const wrong = expectation.onlyPublicIsWrong ? isPublic(url) : !matcherOf(underRegistry, expectation.registry ?? '')(url);
      if (!wrong) continue;
      const resolution = resolutionOf(config, node.name);
      context.report({
        node,
        rule: 'resolved-from-wrong-registry',
        data: {
          actual: redactUrl(url),
          expected: expectation.expected,
          because: expectation.because,
          resolvesTo: resolution.registry,
          resolvesBecause: resolution.because,
        },
        fix: {
          description: `Treat ${node.name}@${node.version} as untrusted: compare it with your own release, rotate secrets its install scripts could read, then remove its lockfile entry and install it again from ${expectation.expected}.`,
        },
      });
    }
    if (unknownOrigin > 0) {
      context.note(`${unknownOrigin} private package(s) in ${graph.lockfile.path} record no download URL, so where they were downloaded from cannot be checked`);
    }

    // 2. It can happen: a private scope that resolves from the default registry.
    const scopeMembers = membersOfUnmappedScopes(graph.packages, names);
    for (const [scope, privateScope] of names.scopes) {
      const members = scopeMembers.get(scope);
      const first = members?.[0];
      if (privateScope.registry !== undefined || members === undefined || first === undefined) continue;
      const resolution = resolutionOf(config, first.name);
      context.report({
        node: first,
        rule: 'unmapped-private-scope',
        data: { scope, because: privateScope.because, others: members.length - 1, resolvesTo: resolution.registry, resolvesBecause: resolution.because },
        fix: mappingFix(config, scope),
        discriminator: scope,
      });
    }

    // 3-5. Questions for the public registry: only names that may be sent there.
    const isCheckable = (name: string): boolean => {
      const scope = scopeOf(name);
      return scope === undefined || options.checkableScopes.some((checkable) => checkable.toLowerCase() === scope);
    };
    const packagesByName = privateRegistryPackagesByName(graph.packages, names);
    const internalNames = [...packagesByName.keys()].filter(isCheckable);
    // Workspaces in a private scope are covered by the scope's findings and never looked up.
    const published = workspaces.filter((workspace) => !workspace.isPrivate && !names.scopes.has(scopeOf(workspace.name) ?? ''));
    const publishedWorkspaces = published.filter((workspace) => isCheckable(workspace.name));
    const uncheckedWorkspaces = published.filter((workspace) => !isCheckable(workspace.name));
    if (uncheckedWorkspaces.length > 0) {
      context.note(
        `${uncheckedWorkspaces.length} published workspace name(s) in scopes not listed in checkableScopes were not looked up on the public registry: ${uncheckedWorkspaces.map((workspace) => workspace.name).join(', ')}`,
      );
    }
    const lookups = internalNames.length + publishedWorkspaces.length;
    if (lookups === 0) return;
    if (context.offline) {
      context.note(`offline: ${lookups} name(s) were not looked up on the public registry ${redactUrl(publicRegistry)}`);
      return;
    }
    await Promise.all([
      ...internalNames.map((name) => checkInternalName(context, publicClient, config, names, packagesByName.get(name) ?? [], options)),
      ...publishedWorkspaces.map((workspace) => checkWorkspaceName(context, publicClient, config, workspace)),
    ]);
  },
});

type Context = CheckContext<RuleKey, DependencyConfusionOptions>;

async function checkInternalName(
  context: Context,
  client: RegistryClient,
  config: RegistryConfig,
  names: PrivateNames,
  nodes: readonly PackageNode[],
  options: DependencyConfusionOptions,
): Promise<void> {
  const [first] = nodes;
  if (!first) return;
  const { name } = first;
  const scope = scopeOf(name);
  const because = names.internal.get(name) ?? `${scope ?? ''} is private (${names.scopes.get(scope ?? '')?.because ?? ''})`;
  const resolution = resolutionOf(config, name);
  const publicRegistry = redactUrl(client.config.defaultRegistry);
  const packument = await client.packument(name, { signal: context.signal });
  const common = { because, publicRegistry, resolvesTo: resolution.registry, resolvesBecause: resolution.because };
  if (packument === undefined) {
    context.report({
      node: first,
      rule: 'internal-name-unclaimed',
      data: common,
      fix: {
        description: `Move ${name} into a private scope mapped to your registry, or register a placeholder of the name on ${publicRegistry} and list it in the publicPlaceholders option.`,
      },
    });
    return;
  }
  const { highestVersion, isAbove } = await loadPublicNames();
  const locked = highestLocked(nodes, isAbove);
  const publicVersion = highestVersion(packument);
  const higher = isAbove(publicVersion, locked.version);
  if (!higher && options.publicPlaceholders.includes(name)) return;
  context.report({
    node: locked,
    rule: 'internal-name-public',
    severity: higher ? 'critical' : undefined,
    data: { ...common, publicVersion: publicVersion ?? 'none', lockedVersion: locked.version },
    fix: {
      description: higher
        ? `A public ${name}@${publicVersion ?? ''} is above your ${locked.version}: check who published it, pin ${name} to your registry (move it into a private scope), and keep installs on the lockfile (npm ci) until then.`
        : `Move ${name} into a private scope mapped to your registry; if the public package is your own placeholder, list it in the publicPlaceholders option.`,
    },
  });
}

async function checkWorkspaceName(context: Context, client: RegistryClient, config: RegistryConfig, workspace: Workspace): Promise<void> {
  const publicRegistry = redactUrl(client.config.defaultRegistry);
  const resolution = resolutionOf(config, workspace.name);
  const packument = await client.packument(workspace.name, { full: true, signal: context.signal });
  const data = { manifest: workspace.manifest, publicRegistry, resolvesTo: resolution.registry };
  // The package as its manifest names it: pnpm's lockfile records neither name nor version of its importers.
  const node: PackageNode = { ...workspace.node, name: workspace.name, version: workspace.version ?? workspace.node.version };
  const makePrivate = `Add "private": true to ${workspace.manifest} if the package is not published`;
  if (packument === undefined) {
    context.report({
      node,
      rule: 'workspace-name-unclaimed',
      data,
      location: workspace.location,
      fix: { description: `${makePrivate}; otherwise publish it (or a placeholder) so nobody else can claim the name.` },
    });
    return;
  }
  const { highestVersion, isOwnPublication } = await loadPublicNames();
  if (isOwnPublication(packument, workspace.version, workspace.repository)) return;
  context.report({
    node,
    rule: 'workspace-name-foreign',
    data: { ...data, publicVersion: highestVersion(packument) ?? 'none', workspaceVersion: workspace.version ?? 'none' },
    location: workspace.location,
    fix: { description: `${makePrivate}; otherwise rename it, since the public name belongs to another package.` },
  });
}
