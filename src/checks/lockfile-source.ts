/**
 * @file Flags lockfile entries that download from somewhere they should not: over an
 * unencrypted protocol, from a host no registry configuration names, from another package's
 * tarball path, from a git ref that is not a commit, or from a path outside the project.
 *
 * Threat: a lockfile is code that a pull request changes, and reviewers skim it. Rewriting an
 * entry's `resolved` (lockfile injection) installs an attacker's tarball under a trusted name;
 * plain http or git:// lets anyone on the path swap it; a branch or tag moves after review; a
 * `file:../` path installs whatever that machine holds. The check works offline, from the
 * lockfile and the user's registry configuration.
 */
import { type CheckContext, defineCheck } from '../core/check.ts';
import type { FixHint } from '../core/finding.ts';
import type { DependencyGraph, PackageNode } from '../core/graph.ts';
import { displayUrl, type Download, downloadAddressOf, type Place, placeOf } from './lockfile-source/download.ts';
import { allowedHosts } from './lockfile-source/hosts.ts';
import { outsidePath } from './lockfile-source/local-path.ts';
import type { LockfileSourceOptions } from './lockfile-source/options.ts';
import { tarballPathMismatch } from './lockfile-source/tarball-path.ts';

export type { LockfileSourceOptions } from './lockfile-source/options.ts';

/** zod loads only when a configuration sets options: it is not on the start-up path. */
async function loadOptionsSchema() {
  return (await import('./lockfile-source/options.ts')).optionsSchema;
}

/** A full commit id: sha1 (40 hex) or sha256 (64 hex) repositories. */
const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

/** The first entry of a host (or origin) and how many entries share it: one finding per group. */
interface Group {
  readonly node: PackageNode;
  readonly download: Download;
  count: number;
}

export default defineCheck({
  meta: {
    id: 'lockfile-source',
    description: 'Require every package to come from a configured registry over an encrypted protocol, from its own tarball path',
    rationale:
      'A lockfile decides what gets installed, and a pull request can change it unnoticed. This check reads ' +
      'where every entry is downloaded from and flags plain http and git:// downloads, hosts that none of the ' +
      "registries in the user's npm, yarn or pnpm configuration (nor allowedHosts) names, registry tarball URLs " +
      "whose path names another package or version than the entry (lockfile injection), git dependencies not " +
      'pinned to a full commit, and file:/link: paths that leave the project.',
    defaultSeverity: 'high',
    requiresNetwork: false,
    docs: 'https://github.com/pkgguard/pkgguard#lockfile-source',
    tags: ['supply-chain', 'tampering'],
    rules: {
      'insecure-protocol': {
        description: 'A package is downloaded over an unencrypted or unknown protocol',
        message:
          '{{name}}@{{version}} is downloaded over {{scheme}} from {{host}}, which anyone on the network path can read and alter; expected {{expected}} (entries from this origin: {{count}})',
        severity: 'high',
      },
      'unknown-host': {
        description: 'A package is downloaded from a host that no registry configuration or allowedHosts names',
        message:
          '{{name}}@{{version}} is downloaded from {{host}}, which is not a configured registry or allowed host; expected one of: {{expected}} (entries from this host: {{count}})',
        severity: 'high',
      },
      'name-mismatch': {
        description: "A registry tarball URL names another package or version than the lockfile entry",
        message: '{{name}}@{{version}} is resolved to {{actual}}, the tarball of {{actualName}}; expected {{expected}}',
        severity: 'critical',
      },
      'unpinned-git': {
        description: 'A git dependency is not pinned to a full commit hash',
        message: '{{name}}@{{version}} comes from git at {{actual}}, which can move after review; expected a full commit hash',
        severity: 'high',
      },
      'outside-project': {
        description: 'A local file or link dependency points outside the project',
        message: '{{name}}@{{version}} is installed from {{actual}}, which resolves to {{resolved}} outside the project; expected a path inside it',
        severity: 'moderate',
      },
    },
    options: {
      defaults: { allowedHosts: [] } satisfies LockfileSourceOptions,
      schema: loadOptionsSchema,
    },
  },
  async run(context) {
    const { graph, options, services } = context;
    // npm and pnpm record `file:` folders and links as importers (they have dependencies of their own).
    reportOutsidePaths(context, graph.importers);
    reportOutsidePaths(context, graph.packages);
    // Only lockfiles that write URLs pay for loading the registry configuration.
    if (!graph.packages.some((node) => downloadAddressOf(node) !== undefined && !node.flags.bundled)) return;

    const config = await services.registryConfig();
    const hosts = allowedHosts(config, options.allowedHosts);
    const insecure = new Map<string, Group>();
    const unknown = new Map<string, Group>();
    for (const node of graph.packages) {
      // A bundled package ships inside its parent's tarball: its `resolved` is never fetched.
      if (node.flags.bundled) continue;
      const url = downloadAddressOf(node);
      if (url === undefined) continue;
      // One description per server, shared by its entries; a Download is built only for a finding.
      const place = placeOf(url);
      const { host } = place;
      const allowed = host !== undefined && hosts.has(host);
      if (place.transport === 'insecure') count(insecure, `${place.scheme}//${host ?? ''}`, node, url, place);
      if (host !== undefined && !allowed) count(unknown, host, node, url, place);
      if (node.source.type === 'git') reportUnpinned(context, node);
      // A URL on an unknown host is already a finding, and its registry layout is unknown.
      if (node.source.type === 'registry' && allowed) reportNameMismatch(context, node, url, hosts.registryPaths(host));
    }
    for (const group of insecure.values()) {
      const { node, download } = group;
      context.report({
        node,
        rule: 'insecure-protocol',
        data: {
          scheme: download.scheme === '' ? 'no protocol' : download.scheme,
          host: download.host ?? 'no host',
          url: displayUrl(download.url),
          expected: download.kind === 'git' ? 'git+https: or git+ssh:' : 'https:',
          count: group.count,
        },
        fix: {
          description:
            download.kind === 'git'
              ? 'Depend on the repository through git+https: or git+ssh: and reinstall'
              : 'Configure the registry with an https:// URL and regenerate these lockfile entries',
        },
        discriminator: `${download.scheme}//${download.host ?? ''}`,
      });
    }
    for (const [host, group] of unknown) {
      context.report({
        node: group.node,
        rule: 'unknown-host',
        data: { host, url: displayUrl(group.download.url), expected: hosts.list.join(', '), count: group.count },
        fix: unknownHostFix(graph, host, config.unresolvedAliases ?? []),
        discriminator: host,
      });
    }
    if (graph.lockfile.format === 'yarn-classic' && unknown.size > 0) {
      for (const alias of config.unresolvedAliases ?? []) {
        context.note(`lockfile-source could not allow ${alias}; hosts it reports may include it`);
      }
    }
  },
});

type Rule = 'insecure-protocol' | 'unknown-host' | 'name-mismatch' | 'unpinned-git' | 'outside-project';
type Context = CheckContext<Rule, LockfileSourceOptions>;

function count(groups: Map<string, Group>, key: string, node: PackageNode, url: string, place: Place): void {
  const group = groups.get(key);
  if (group) group.count += 1;
  else groups.set(key, { node, download: { kind: node.source.type as Download['kind'], url, ...place }, count: 1 });
}

function reportOutsidePaths(context: Context, nodes: readonly PackageNode[]): void {
  const { graph, services } = context;
  for (const node of nodes) {
    const outside = outsidePath(graph, node, services.projectDir, services.lockfileDir);
    if (outside) {
      context.report({
        node,
        rule: 'outside-project',
        data: { actual: outside.written, resolved: outside.resolved },
        fix: { description: 'Move the package into the repository (or publish it to your registry) and depend on it from there' },
      });
    }
  }
}

function reportUnpinned(context: Context, node: PackageNode): void {
  if (node.source.type !== 'git') return;
  const { url, committish } = node.source;
  if (committish !== undefined && COMMIT.test(committish)) return;
  context.report({
    node,
    rule: 'unpinned-git',
    data: { actual: committish === undefined ? `${displayUrl(url)} (no ref)` : `${displayUrl(url)}#${committish}`, committish: committish ?? '' },
    fix: { description: 'Pin the dependency to a full commit hash (`#<commit>`) in package.json and reinstall, so the lockfile records the commit' },
  });
}

function reportNameMismatch(context: Context, node: PackageNode, url: string, registryPaths: readonly string[]): void {
  const mismatch = tarballPathMismatch(url, node.name, node.version, registryPaths);
  if (mismatch === undefined) return;
  context.report({
    node,
    rule: 'name-mismatch',
    data: {
      expected: mismatch.expected,
      actual: mismatch.actual,
      actualName: mismatch.actualName,
      expectedFile: mismatch.expectedFile,
      actualFile: mismatch.actualFile,
      url: displayUrl(url),
    },
    severity: 'critical',
    fix: {
      description:
        'Treat this as tampering: find the change that rewrote this `resolved` URL, then delete the entry and reinstall so the package manager records the registry tarball',
    },
  });
}

function unknownHostFix(graph: DependencyGraph, host: string, unresolvedAliases: readonly string[]): FixHint {
  const base = `If ${host} is a registry or git host you trust, configure it as a registry or add it to lockfile-source's allowedHosts; otherwise re-resolve these packages from your registry`;
  if (graph.lockfile.format === 'yarn-classic' && unresolvedAliases.length > 0) {
    return { description: `${base}. For a yarn 1 lockfile, installing yarn 1 lets pkgguard read yarn's own default registry` };
  }
  return { description: base };
}
