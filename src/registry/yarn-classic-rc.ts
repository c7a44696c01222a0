/**
 * The registry settings of yarn classic's own `.yarnrc` files. yarn 1 reads them from the project
 * directory and every directory above it, then from the home directory, the nearest winning; its
 * `registry` and `"@scope:registry"` override what `.npmrc` says (yarn asks its own
 * configuration before npm's). Only these keys are read: credentials still come from `.npmrc`.
 *
 * Syntax, as yarn 1 writes it (`yarn config set`): one `key value` per line, key and value
 * optionally double-quoted, `#` comments.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface YarnrcRegistries {
  readonly registry?: string | undefined;
  /** `@scope` → URL as written. */
  readonly scopes: Readonly<Record<string, string>>;
  /** Files that set one of these keys, nearest first. */
  readonly files: readonly string[];
}

const LINE = /^\s*("(?:[^"\\]|\\.)*"|[^\s"]+)\s+("(?:[^"\\]|\\.)*"|\S+)\s*$/;
const SCOPED_REGISTRY = /^(@[^:/\s]+):registry$/;

/** The `.yarnrc` registries that apply in `projectDir`. */
export async function readYarnrcRegistries(projectDir: string, homedir: string): Promise<YarnrcRegistries> {
  const files: string[] = [];
  let registry: string | undefined;
  const scopes: Record<string, string> = {};
  for (const file of yarnrcFiles(projectDir, homedir)) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    let used = false;
    for (const [key, value] of settingsOf(text)) {
      if (key === 'registry' && registry === undefined) {
        registry = value;
        used = true;
      }
      const scope = SCOPED_REGISTRY.exec(key)?.[1];
      if (scope !== undefined && !Object.hasOwn(scopes, scope)) {
        scopes[scope] = value;
        used = true;
      }
    }
    if (used) files.push(file);
  }
  return { registry, scopes, files };
}

/** Nearest first: the project directory, its ancestors, then the home directory. */
function yarnrcFiles(projectDir: string, homedir: string): string[] {
  const files: string[] = [];
  for (let dir = path.resolve(projectDir); ; dir = path.dirname(dir)) {
    files.push(path.join(dir, '.yarnrc'));
    if (path.dirname(dir) === dir) break;
  }
  const home = path.join(homedir, '.yarnrc');
  if (!files.includes(home)) files.push(home);
  return files;
}

function settingsOf(text: string): [string, string][] {
  const settings: [string, string][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(?:#|$)/.test(line)) continue;
    const match = LINE.exec(line);
    if (match?.[1] !== undefined && match[2] !== undefined) settings.push([unquote(match[1]), unquote(match[2])]);
  }
  return settings;
}

function unquote(value: string): string {
  if (!value.startsWith('"')) return value;
  try {
    return JSON.parse(value) as string;
  } catch {
    return value.slice(1, -1);
  }
}
