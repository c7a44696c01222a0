/**
 * Fix hints for advisory findings: what to upgrade to, and a command when one is known to do
 * exactly that for the lockfile's package manager.
 *
 * - A dependency the project itself declares: `<add command> name@fixed` (npm install, yarn
 *   add, yarn up, pnpm add, bun add), which rewrites the declared range and the lockfile. The
 *   dependency type is kept (`--save-dev`, `--save-optional` and their equivalents; yarn up
 *   keeps it by itself).
 * - A transitive dependency whose dependents' ranges all accept the fixed version: re-resolving
 *   it is enough: `npm update name` (npm 7+ updates every copy in the tree) and `yarn up -R
 *   name` (yarn Berry: "resolve again all ranges matching the package"). Other managers get
 *   the instruction without a command.
 * - A dependent's range excludes the fixed version: that dependent must move, or an override
 *   must force the version; no single command is safe, so none is offered.
 *
 * Names come from a lockfile an attacker may have written and users paste commands into a
 * shell, so a command is only offered when every interpolated part is plain (as in the
 * integrity check's hints).
 */
import type { FixHint } from '../../core/finding.ts';
import type { DependencyEdge, DependencyGraph, LockfileFormat, PackageNode } from '../../core/graph.ts';

/** Starts with a letter, digit or `@` (never `-`, which a shell or package manager would read as an option). */
const SHELL_SAFE = /^[A-Za-z0-9@][A-Za-z0-9@/._~+-]*$/;

/** semver's verdict on `version` in `range`; undefined when `range` is not a semver range. */
export type RangeTest = (version: string, range: string) => boolean | undefined;

interface Dependent {
  readonly from: PackageNode;
  readonly edge: DependencyEdge;
}

const ADD_COMMANDS: Readonly<Record<LockfileFormat, (spec: string, type: DependencyEdge['type']) => string | undefined>> = {
  npm: (spec, type) => `npm install ${spec}${flag(type, '--save-dev', '--save-optional')}`,
  'yarn-classic': (spec, type) => `yarn add ${spec}${flag(type, '--dev', '--optional')}`,
  'yarn-berry': (spec) => `yarn up ${spec}`,
  pnpm: (spec, type) => `pnpm add ${spec}${flag(type, '--save-dev', '--save-optional')}`,
  bun: (spec, type) => `bun add ${spec}${flag(type, '--dev', '--optional')}`,
};

const UPDATE_COMMANDS: Partial<Record<LockfileFormat, (name: string) => string>> = {
  npm: (name) => `npm update ${name}`,
  'yarn-berry': (name) => `yarn up -R ${name}`,
};

function flag(type: DependencyEdge['type'], dev: string, optional: string): string {
  if (type === 'dev') return ` ${dev}`;
  return type === 'optional' ? ` ${optional}` : '';
}

/** `cd <dir> && ` when the lockfile is not in the project root; undefined when unsafe. */
function cdPrefix(graph: DependencyGraph): string | undefined {
  const slash = graph.lockfile.path.lastIndexOf('/');
  if (slash < 0) return '';
  const dir = graph.lockfile.path.slice(0, slash);
  return SHELL_SAFE.test(dir) ? `cd ${dir} && ` : undefined;
}

function withCommand(graph: DependencyGraph, description: string, command: string | undefined, parts: readonly string[]): FixHint {
  const prefix = cdPrefix(graph);
  if (command === undefined || prefix === undefined || !parts.every((part) => SHELL_SAFE.test(part))) return { description };
  return { description, command: `${prefix}${command}` };
}

function dependentsOf(graph: DependencyGraph, node: PackageNode): Dependent[] {
  const found: Dependent[] = [];
  for (const from of graph.dependents(node)) {
    for (const edge of from.dependencies) if (edge.to === node.id) found.push({ from, edge });
  }
  return found;
}

function label(node: PackageNode): string {
  return node.version ? `${node.name}@${node.version}` : node.name;
}

/** The upgrade that removes the advisory from this copy of the package. */
export function upgradeFix(graph: DependencyGraph, node: PackageNode, fixedIn: string, satisfies: RangeTest): FixHint {
  const dependents = dependentsOf(graph, node);
  const fromRoot = dependents.find(({ from }) => from.id === graph.root.id);
  // An `npm:` alias is declared under its alias; rewriting it needs the alias spec, left to the user.
  if (fromRoot && node.alias === undefined && fromRoot.edge.type !== 'peer' && fromRoot.edge.type !== 'peerOptional') {
    // The plain version: every manager records it with its save prefix (a caret by default),
    // and a `^` would be a glob in zsh with extended globbing.
    const spec = `${node.name}@${fixedIn}`;
    return withCommand(
      graph,
      `Upgrade ${node.name} to ${fixedIn} or later (the project declares ${fromRoot.edge.spec})`,
      ADD_COMMANDS[graph.lockfile.format](spec, fromRoot.edge.type),
      [spec],
    );
  }
  const blocking = dependents.filter(({ edge }) => !acceptsVersion(edge.spec, fixedIn, satisfies));
  if (blocking.length === 0) {
    const update = UPDATE_COMMANDS[graph.lockfile.format];
    return withCommand(
      graph,
      `Upgrade ${node.name} to ${fixedIn} or later: every range that requires it already allows that version, so re-resolving it is enough`,
      update?.(node.name),
      [node.name],
    );
  }
  const first = blocking[0]!;
  const others = blocking.length > 1 ? ` and ${blocking.length - 1} more` : '';
  return {
    description:
      `Upgrade ${node.name} to ${fixedIn} or later: ${label(first.from)} requires ${first.edge.spec}${others}, which excludes it, ` +
      'so upgrade that dependent or force the version with an override (npm overrides, yarn resolutions, pnpm overrides)',
  };
}

/**
 * Whether the declared spec allows the fixed version. `npm:` specs are read as their range
 * (`npm:^4.17.0`, `npm:lodash@^4.17.0`); specs that are no range at all (a dist-tag such as
 * `latest`) re-resolve to a new release anyway, so they do not block.
 */
function acceptsVersion(spec: string, version: string, satisfies: RangeTest): boolean {
  let range = spec;
  if (range.startsWith('npm:')) {
    range = range.slice('npm:'.length);
    const at = range.lastIndexOf('@');
    if (at > 0) range = range.slice(at + 1);
  }
  return satisfies(version, range) ?? true;
}
