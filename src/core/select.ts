/**
 * Decides, once and up front, which checks run and with what severity and options: config
 * `off` removes a check (and a check that is off by default runs only when configured, named in
 * `--checks` or enabled by its flag), `--checks`/`--skip` narrow the list, `--offline` moves network checks
 * to `skipped` with a reason (osv-scalibr's capability filter), so no check fails halfway.
 */
import type { AnyCheck } from './check.ts';
import { didYouMean } from './did-you-mean.ts';
import type { SelectedCheck } from './engine.ts';
import { ConfigError, UsageError } from './errors.ts';
import type { SkippedCheck } from './reporter.ts';
import type { Severity } from './severity.ts';

/**
 * A check's configured setting, already shape-validated: a severity (overrides every rule's),
 * 'on' (enabled with the rules' own severities) or 'off', plus raw options.
 */
export interface CheckSettings {
  readonly severity?: Severity | 'on' | 'off' | undefined;
  readonly options?: unknown;
}

export interface SelectOptions {
  readonly only?: readonly string[] | undefined;
  readonly skip?: readonly string[] | undefined;
  /** Checks that are off by default, turned on by a flag (`--verify-tarballs`). */
  readonly enable?: readonly string[] | undefined;
  readonly offline: boolean;
  readonly settings: Readonly<Record<string, CheckSettings>>;
  /** Where the settings came from ("pkgguard.config.json"), named in configuration errors. */
  readonly configSource?: string | undefined;
}

export interface Selection {
  readonly selected: SelectedCheck[];
  readonly skipped: SkippedCheck[];
}

export async function selectChecks(all: readonly AnyCheck[], options: SelectOptions): Promise<Selection> {
  const ids = all.map((check) => check.meta.id);
  for (const [flag, list] of [['--checks', options.only], ['--skip', options.skip], ['enable', options.enable]] as const) {
    for (const id of list ?? []) assertKnown(id, ids, (message, hints) => new UsageError(`${flag}: ${message}`, { hints }));
  }
  const inConfig = options.configSource === undefined ? '' : `${options.configSource}: `;
  for (const id of Object.keys(options.settings)) {
    assertKnown(id, ids, (message, hints) => new ConfigError(`${inConfig}checks.${id}: ${message}`, { hints }));
  }

  const selected: SelectedCheck[] = [];
  const skipped: SkippedCheck[] = [];
  for (const check of all) {
    const { id } = check.meta;
    const setting = options.settings[id] ?? {};
    if (setting.severity === 'off' && !options.only?.includes(id)) continue;
    if (check.meta.enabledByDefault === false && setting.severity === undefined && !options.only?.includes(id) && !options.enable?.includes(id)) continue;
    // Validated before the flags narrow the list, so a configuration that passes with
    // --offline, --checks or --skip cannot fail without them (ESLint skips only "off" rules).
    const checkOptions = await parseCheckOptions(check, setting.options, inConfig);
    // A check's own flag asks for it by name, as --checks does.
    if (options.only && !options.only.includes(id) && !options.enable?.includes(id)) continue;
    if (options.skip?.includes(id)) continue;
    if (check.meta.requiresNetwork && !check.meta.runsOffline && options.offline) {
      skipped.push({ checkId: id, reason: 'needs the network; skipped by --offline' });
      continue;
    }
    const severity = setting.severity === 'off' || setting.severity === 'on' ? undefined : setting.severity;
    selected.push({ check, severity, options: checkOptions });
  }
  return { selected, skipped };
}

function assertKnown(
  id: string,
  known: readonly string[],
  makeError: (message: string, hints: string[]) => Error,
): void {
  if (known.includes(id)) return;
  const suggestion = didYouMean(id, known);
  const hints = [suggestion ? `did you mean "${suggestion}"?` : `known checks: ${known.join(', ')}`, 'list them with: pkgguard rules'];
  throw makeError(`unknown check "${id}"`, hints);
}

async function parseCheckOptions(check: AnyCheck, raw: unknown, inConfig: string): Promise<unknown> {
  const spec = check.meta.options;
  const isEmpty = raw === undefined || Object.keys(raw as object).length === 0;
  if (!spec) {
    if (!isEmpty) throw new ConfigError(`${inConfig}checks.${check.meta.id}: this check takes no options`);
    return undefined;
  }
  if (raw === undefined) return spec.defaults;
  const parsed = (await spec.schema()).safeParse(raw);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => {
    const path = ['checks', check.meta.id, ...issue.path.map(String)].join('.');
    return `${path}: ${issue.message}`;
  });
  throw new ConfigError(`${inConfig}${details[0] ?? `checks.${check.meta.id}: invalid options`}`, { hints: details.slice(1) });
}
