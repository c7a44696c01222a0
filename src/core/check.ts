import type { z } from 'zod';
import type { FindingData, FixHint } from './finding.ts';
import type { DependencyGraph, PackageNode, SourceLocation } from './graph.ts';
import type { CheckServices } from './services.ts';
import type { Severity } from './severity.ts';

/** Diagnostics channel for checks and parsers: goes to stderr in the CLI, never stdout. */
export interface Logger {
  debug(message: string): void;
  warn(message: string): void;
}

export interface RuleMeta {
  /** One line for SARIF `shortDescription` and `pkgguard rules`, no trailing period. */
  readonly description: string;
  /** Message template with {{placeholders}} filled from the report's `data`. */
  readonly message: string;
  /** Default severity of this rule; falls back to the check's `defaultSeverity`. */
  readonly severity?: Severity | undefined;
}

export interface CheckMeta<RuleKey extends string = string, Options = unknown> {
  /** Stable forever, kebab-case, equals the file name and the README anchor. */
  readonly id: string;
  /** One line, no trailing period. */
  readonly description: string;
  /** Longer explanation for SARIF `fullDescription` and `help`: what it flags and why it matters. */
  readonly rationale: string;
  readonly defaultSeverity: Severity;
  /** The check cannot run without a registry or advisory service; skipped under --offline. */
  readonly requiresNetwork: boolean;
  /**
   * A network check that still runs under --offline (with `context.offline` true), because it can
   * work from a local source (a cache, an offline advisory database) or decide to `skip` itself.
   */
  readonly runsOffline?: boolean | undefined;
  /**
   * false: the check runs only when asked for (configured `"on"` or a severity, named in
   * `--checks`, or enabled by its own CLI flag), e.g. because it downloads every tarball.
   * Default true.
   */
  readonly enabledByDefault?: boolean | undefined;
  /** README section of the check (SARIF `helpUri`). */
  readonly docs: string;
  readonly tags: readonly string[];
  /** The rules (variants) this check can report, keyed by the suffix of `<check-id>/<key>`. */
  readonly rules: Readonly<Record<RuleKey, RuleMeta>>;
  /** The check's options: defaults as plain data, and a schema for what users configure. */
  readonly options?: CheckOptionsSpec<Options> | undefined;
}

/**
 * Options are validated by a zod schema, but zod costs tens of milliseconds to load, so a run
 * without configured options must not load it: `defaults` is used as is, and `schema()` (which
 * may `import()` zod) is called only when the user's configuration sets options.
 */
export interface CheckOptionsSpec<Options> {
  readonly defaults: Options;
  schema(): Promise<z.ZodType<Options>>;
}

/**
 * A rule known only at run time, such as one advisory (`GHSA-…`, `MAL-…`): its `id` becomes the
 * finding's ruleId instead of `<check-id>/<rule>`, so SARIF shows one rule per advisory with the
 * advisory's own text as help. The descriptor's `rule` still names the check's declared rule,
 * whose message template builds the finding's message and which documents the check.
 */
export interface DynamicRule {
  /** The ruleId: an advisory id. */
  readonly id: string;
  /** One line (the advisory's summary), for SARIF `shortDescription`. */
  readonly description: string;
  /** Longer help (the advisory's details, markdown as published), for SARIF `fullDescription`/`help`. */
  readonly help?: string | undefined;
  /** The rule's own page (the advisory's URL), for SARIF `helpUri`. */
  readonly helpUri?: string | undefined;
  /** The rule's severity; a per-finding `severity` and the configured severity still win. */
  readonly severity?: Severity | undefined;
  /** CVSS base score 0.0–10.0, for SARIF `security-severity` instead of the severity's band. */
  readonly score?: number | undefined;
  /** Extra SARIF tags (e.g. `malware`, CWE ids). */
  readonly tags?: readonly string[] | undefined;
}

export interface ReportDescriptor<RuleKey extends string> {
  readonly node: PackageNode;
  readonly rule: RuleKey;
  /** Reports under a run-time rule id (see DynamicRule) instead of `<check-id>/<rule>`. */
  readonly dynamicRule?: DynamicRule | undefined;
  readonly data?: FindingData | undefined;
  readonly fix?: FixHint | undefined;
  readonly references?: readonly string[] | undefined;
  /** Per-finding severity (e.g. a tamper signal); configured severity still wins. */
  readonly severity?: Severity | undefined;
  /** Extra fingerprint input when one package can yield several findings of one rule. */
  readonly discriminator?: string | undefined;
  /**
   * Where the finding points when that is not the package's lockfile entry (a workspace's
   * package.json `"name"` line); `file` relative to the project root. Default: `node.location`.
   */
  readonly location?: SourceLocation | undefined;
}

export interface CheckContext<RuleKey extends string = string, Options = unknown> {
  readonly graph: DependencyGraph;
  /** The check's options, validated and defaulted by `meta.options`. */
  readonly options: Options;
  /** True under --offline: no network service may be used. */
  readonly offline: boolean;
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Project, privacy settings, registry configuration and client, per-audit memo. */
  readonly services: CheckServices;
  report(descriptor: ReportDescriptor<RuleKey>): void;
  /**
   * Something the user should know that is not a finding ("12 private packages were not sent
   * to OSV", "registry X publishes no signing keys: not applicable"). Shown in every report.
   */
  note(message: string): void;
  /**
   * Ends the check for this lockfile and lists it as skipped with `reason` (e.g. offline without
   * an advisory database). Findings reported before the call are kept.
   */
  skip(reason: string): never;
}

export interface Check<RuleKey extends string = string, Options = unknown> {
  readonly meta: CheckMeta<RuleKey, Options>;
  /**
   * Reports findings through `context.report`. Never prints, never exits. Throws
   * `SourceUnavailableError` when a source it needs cannot be reached (the audit becomes
   * incomplete); anything else it throws is recorded as a crash.
   */
  run(context: CheckContext<RuleKey, Options>): void | Promise<void>;
}

/** Identity function that exists for type inference of rule keys and options. */
export function defineCheck<const RuleKey extends string, Options = undefined>(
  check: Check<RuleKey, Options>,
): Check<RuleKey, Options> {
  return check;
}

/** A check with its rule keys and options erased, as the engine and reporters hold it. */
// `any` on purpose: a check's option type is invariant (it is both read and validated), so
// the built-in list cannot be typed as Check<string, unknown> without `any` at this one seam.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCheck = Check<string, any>;
