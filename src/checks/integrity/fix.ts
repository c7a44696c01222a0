/**
 * Fix hints for the integrity rules. Every npm command here was verified against npm 11 on a
 * lockfile with the problem in question:
 *
 * - sha1-only, malformed and mismatched values: a plain `npm install` (with or without
 *   `--package-lock-only`) keeps sha1, md5 and mismatched values as they are, and deleting
 *   just the `integrity` field leaves the entry without one. `npm update <name>
 *   --package-lock-only` re-resolves every copy of the package and records the registry's
 *   sha512 (a pinned version stays; a range may move to the newest version it allows).
 * - missing integrity, and an empty string, which npm reads as none: `npm update` keeps the
 *   entry without one. Deleting the entry and re-locking makes npm fetch it again with its
 *   integrity. A version 1 lockfile needs no edit: npm 7+ converts it and fetches the missing
 *   metadata (its "old lockfile" fix-up).
 *
 * Names and ids come from a lockfile an attacker may have written, and users paste these
 * commands into a shell, so a command is only offered when every interpolated part is made of
 * characters no shell interprets; otherwise the hint carries the description alone.
 */
import type { FixHint } from '../../core/finding.ts';
import type { DependencyGraph, PackageNode } from '../../core/graph.ts';

/** Starts with a letter, digit or `@` (never `-` or `~`, which a shell or npm would interpret). */
const SHELL_SAFE = /^[A-Za-z0-9@][A-Za-z0-9@/._~-]*$/;

function shellSafe(text: string): boolean {
  return SHELL_SAFE.test(text);
}

/** `cd <dir> && ` when the lockfile is not in the project root; undefined when unsafe. */
function cdPrefix(graph: DependencyGraph): string | undefined {
  const slash = graph.lockfile.path.lastIndexOf('/');
  if (slash < 0) return '';
  const dir = graph.lockfile.path.slice(0, slash);
  return shellSafe(dir) ? `cd ${dir} && ` : undefined;
}

function lockfileName(graph: DependencyGraph): string {
  return graph.lockfile.path.slice(graph.lockfile.path.lastIndexOf('/') + 1);
}

function withCommand(description: string, command: string | undefined): FixHint {
  return command === undefined ? { description } : { description, command };
}

/** The name package.json asks for: the alias for `npm:` aliases, since that is what npm updates. */
function requestedName(node: PackageNode): string {
  return node.alias ?? node.name;
}

/** `npm update <name> --package-lock-only`, or undefined when a part is not shell-safe. */
function npmUpdateCommand(graph: DependencyGraph, node: PackageNode): string | undefined {
  const name = requestedName(node);
  const prefix = cdPrefix(graph);
  return prefix !== undefined && shellSafe(name) ? `${prefix}npm update ${name} --package-lock-only` : undefined;
}

export function weakFix(graph: DependencyGraph, node: PackageNode): FixHint {
  if (graph.lockfile.format !== 'npm') {
    return { description: `Re-resolve ${node.name} with your package manager so the lockfile records a sha512 hash` };
  }
  return withCommand(
    `Re-resolve ${node.name} so npm records the registry's sha512 hash (a plain npm install keeps the sha1 value)`,
    npmUpdateCommand(graph, node),
  );
}

export function malformedFix(graph: DependencyGraph, node: PackageNode): FixHint {
  if (graph.lockfile.format !== 'npm') {
    return { description: `Re-resolve ${node.name} with your package manager so the lockfile records a valid hash` };
  }
  return withCommand(`Re-resolve ${node.name} so npm records the registry's integrity value`, npmUpdateCommand(graph, node));
}

/** A tamper signal: investigate before overwriting the evidence. */
export function mismatchFix(graph: DependencyGraph, node: PackageNode): FixHint {
  const investigate = `Find out which value the registry publishes for ${node.name}@${node.version} and how the other one got into the lockfile`;
  if (graph.lockfile.format !== 'npm') {
    return { description: `${investigate}, then re-resolve the package with your package manager` };
  }
  return withCommand(`${investigate}, then re-resolve it so every copy gets the registry's value`, npmUpdateCommand(graph, node));
}

export function missingFix(graph: DependencyGraph, node: PackageNode): FixHint {
  if (graph.lockfile.format !== 'npm') {
    return { description: `Re-resolve ${node.name} with your package manager so the lockfile records its integrity` };
  }
  const prefix = cdPrefix(graph);
  if (graph.lockfile.formatVersion === '1') {
    return withCommand(
      'Let npm convert the version 1 lockfile, which fetches the missing integrity from the registry',
      prefix === undefined ? undefined : `${prefix}npm install --package-lock-only`,
    );
  }
  const file = lockfileName(graph);
  const safe = prefix !== undefined && shellSafe(node.id) && shellSafe(file);
  // Double quotes around the script, single quotes inside: the safe-character rule above keeps
  // both from being closed early.
  const script = `const fs=require('fs');const f='${file}';const l=JSON.parse(fs.readFileSync(f,'utf8'));delete l.packages['${node.id}'];fs.writeFileSync(f,JSON.stringify(l,null,2)+'\\n')`;
  return withCommand(
    `Delete the entry and re-lock so npm fetches ${node.name} again with its integrity (npm keeps an entry without one as it is)`,
    safe ? `${prefix}node -e "${script}" && npm install --package-lock-only` : undefined,
  );
}
