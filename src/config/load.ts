/**
 * Finds, reads and validates the configuration: `--config <file>`, else
 * `pkgguard.config.json` in the project directory, else the `"pkgguard"` key of its
 * package.json. zod is imported only when there is something to validate, so a project
 * without configuration does not pay for it at start-up.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { didYouMean } from '../core/did-you-mean.ts';
import { ConfigError, messageOf } from '../core/errors.ts';
import type { FailOn } from '../core/severity.ts';
import type { CheckSettings } from '../core/select.ts';
import type { IgnoreRule } from '../core/policy.ts';
import type { PrivacySettings } from '../core/services.ts';
import { readFileOptions } from './file-options.ts';
import { jsonSyntaxErrorOffset } from './json-syntax.ts';

export const CONFIG_FILENAME = 'pkgguard.config.json';

export interface ResolvedConfig {
  /** Where the configuration came from, relative to the project dir; undefined when none. */
  readonly source?: string | undefined;
  readonly failOn?: FailOn | undefined;
  readonly checks: Readonly<Record<string, CheckSettings>>;
  readonly ignore: readonly IgnoreRule[];
  readonly privacy: PrivacySettings;
  /** Validated top-level sections that belong to no single check (e.g. `advisories`), by key. */
  readonly settings: Readonly<Record<string, unknown>>;
}

export const EMPTY_CONFIG: ResolvedConfig = { checks: {}, ignore: [], privacy: { privateScopes: [], internalPackages: [] }, settings: {} };

export async function loadConfig(projectDir: string, explicitPath?: string): Promise<ResolvedConfig> {
  if (explicitPath !== undefined) {
    // Named relative to the project when inside it, as the user most likely typed it.
    const relative = path.relative(projectDir, explicitPath);
    const label = relative.startsWith('..') || path.isAbsolute(relative) ? explicitPath : relative.split(path.sep).join('/');
    const text = await readText(explicitPath);
    if (text === undefined) throw new ConfigError(`config file not found: ${label}`);
    return validate(parseJson(text, label), label, path.dirname(explicitPath));
  }
  const own = path.join(projectDir, CONFIG_FILENAME);
  const ownText = await readText(own);
  if (ownText !== undefined) return validate(parseJson(ownText, CONFIG_FILENAME), CONFIG_FILENAME, projectDir);

  const manifestText = await readText(path.join(projectDir, 'package.json'));
  if (manifestText === undefined) return EMPTY_CONFIG;
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestText);
  } catch {
    // A broken package.json is the lockfile parser's business, not the config's.
    return EMPTY_CONFIG;
  }
  if (!isRecord(manifest) || manifest['pkgguard'] === undefined) return EMPTY_CONFIG;
  return validate(manifest['pkgguard'], 'package.json#pkgguard', projectDir);
}

async function readText(file: string): Promise<string | undefined> {
  try {
    // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
    return (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`cannot read ${file}: ${messageOf(error)}`);
  }
}

function parseJson(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 gives no position for an unexpected token, only a snippet of the file (which may span
    // lines), so the position comes from our own scan and the snippet is cut from the reason.
    const offset = jsonSyntaxErrorOffset(text);
    const where = offset === undefined ? '' : `:${lineColumnAt(text, offset)}`;
    const reason = messageOf(error)
      .replace(/ in JSON at position.*$/s, '')
      .replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
    throw new ConfigError(`${label}${where}: invalid JSON (${reason})`, {
      hints: ['the configuration file must be plain JSON (no comments, no trailing commas)'],
    });
  }
}

function lineColumnAt(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}

/** `baseDir` is where paths in the configuration are relative to: the config file's directory. */
async function validate(raw: unknown, label: string, baseDir: string): Promise<ResolvedConfig> {
  const { configSchema, ignoreEntrySchema } = await import('./schema.ts');
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const known: Record<string, readonly string[]> = {
      '': Object.keys(configSchema.shape),
      ignore: Object.keys(ignoreEntrySchema.shape),
    };
    const lines = parsed.error.issues.map((issue) => {
      const where = issue.path.map(String).join('.') || '(root)';
      if (issue.code === 'unrecognized_keys') {
        const scope = issue.path.some((p) => typeof p === 'number') ? 'ignore' : '';
        return issue.keys
          .map((key) => {
            const suggestion = didYouMean(key, known[scope] ?? []);
            const name = [...issue.path.map(String), key].join('.');
            return `${name}: unknown key${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
          })
          .join('; ');
      }
      return `${where}: ${issue.message}`;
    });
    throw new ConfigError(`${label}: ${lines[0] ?? 'invalid configuration'}`, { hints: lines.slice(1) });
  }
  const config = parsed.data;
  const checks: Record<string, CheckSettings> = {};
  for (const [id, setting] of Object.entries(config.checks ?? {})) {
    const [severity, options] = typeof setting === 'string' ? [setting, undefined] : [setting[0], setting[1]];
    checks[id] = { severity, options };
  }
  await readFileOptions(checks, baseDir, label);
  return {
    source: label,
    failOn: config.failOn as FailOn | undefined,
    checks,
    ignore: (config.ignore ?? []).map((entry) => ({
      ruleId: entry.ruleId,
      package: entry.package,
      reason: entry.reason,
      expires: entry.expires,
    })),
    privacy: {
      privateScopes: (config.privateScopes ?? []).map((scope) => (scope.startsWith('@') ? scope : `@${scope}`)),
      internalPackages: config.internalPackages ?? [],
    },
    settings: sharedSettingsOf(config),
  };
}

/** Everything but the keys the loader itself interprets: sections shared by several checks. */
const LOADER_KEYS: ReadonlySet<string> = new Set(['$schema', 'failOn', 'checks', 'ignore', 'privateScopes', 'internalPackages']);

function sharedSettingsOf(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(config).filter(([key]) => !LOADER_KEYS.has(key)));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
