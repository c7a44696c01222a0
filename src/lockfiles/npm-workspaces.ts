/**
 * Which project folders are workspaces, from the root entry's `workspaces` field: an array of
 * glob patterns or `{ packages: [...] }`, matched against `packages` keys as npm's
 * map-workspaces does for a virtual tree. npm uses minimatch; the patterns people write for
 * workspaces (`packages/*`, `apps/**`, `tools/cli`, `!packages/legacy`, `{a,b}/*`) need only
 * `*`, `**`, `?`, braces and negation, so a small translation to RegExp covers them without
 * loading a glob library on every run.
 */
import { isRecord } from './json-value.ts';

export function createWorkspaceMatcher(workspaces: unknown): (key: string) => boolean {
  const declared = Array.isArray(workspaces)
    ? workspaces
    : isRecord(workspaces) && Array.isArray(workspaces['packages'])
      ? workspaces['packages']
      : [];
  const include: RegExp[] = [];
  const exclude: RegExp[] = [];
  for (const pattern of declared) {
    if (typeof pattern !== 'string') continue;
    const bangs = /^!*/.exec(pattern)?.[0].length ?? 0;
    const body = pattern.slice(bangs).replace(/^\.?\/+/, '').replace(/\/+$/, '');
    (bangs % 2 === 1 ? exclude : include).push(globToRegExp(body));
  }
  if (include.length === 0) return () => false;
  return (key) => include.some((re) => re.test(key)) && !exclude.some((re) => re.test(key));
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more folders; a trailing `**` matches the rest.
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:[^/]+/)*' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else if (c === '{') {
      braces++;
      source += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      source += ')';
    } else if (c === ',' && braces > 0) {
      source += '|';
    } else {
      source += c.replace(/[.+^$()|[\]\\{}]/g, '\\$&');
    }
  }
  if (braces > 0) return /(?!)/; // an unbalanced brace matches nothing rather than everything
  return new RegExp(`^${source}$`);
}
