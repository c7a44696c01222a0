/**
 * The check pipeline. Model: every lockfile is parsed once into a DependencyGraph (by the
 * caller); each selected check then runs once per graph with a context whose `report()` turns
 * descriptors into complete Findings (severity resolved, message interpolated, location, path
 * and fingerprint filled in). Checks are isolated: one that throws does not stop the others.
 * A SourceUnavailableError makes the result incomplete; any other throw is recorded as a crash.
 * Neither is ever silence.
 */
import type { AnyCheck, CheckContext, DynamicRule, Logger, ReportDescriptor } from './check.ts';
import { CheckCrashError, ConfigError, isPkgguardError, messageOf, SourceUnavailableError, UsageError } from './errors.ts';
import { compareFindings, type Finding, type FindingRule } from './finding.ts';
import { fingerprintOf } from './fingerprint.ts';
import type { DependencyGraph, PackageNode } from './graph.ts';
import { interpolate } from './interpolate.ts';
import type { CheckNote, IncompleteEntry, SkippedCheck } from './reporter.ts';
import { type CheckServices, withoutServices } from './services.ts';
import type { Severity } from './severity.ts';

/** A check as the user configured it. `severity` undefined means "use the rule defaults". */
export interface SelectedCheck {
  readonly check: AnyCheck;
  readonly severity?: Severity | undefined;
  readonly options: unknown;
}

export interface RunChecksOptions {
  readonly offline: boolean;
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Keep only findings for which this returns true (e.g. --production drops dev-only packages). */
  readonly includeNode?: ((node: PackageNode) => boolean) | undefined;
  /** The services of the checks that run on `graph`; audit() provides real ones, default: none. */
  readonly servicesFor?: ((graph: DependencyGraph) => CheckServices) | undefined;
  /** Told before each check runs on a lockfile, for a progress display (the CLI's, on a terminal). */
  readonly onCheckStart?: ((event: CheckStartEvent) => void) | undefined;
}

export interface CheckStartEvent {
  readonly checkId: string;
  /** The lockfile's project-relative path. */
  readonly lockfile: string;
  /** 1-based position of this run among all (check, lockfile) runs of the audit, and their count. */
  readonly step: number;
  readonly steps: number;
}

export interface RunChecksResult {
  readonly findings: Finding[];
  readonly incomplete: IncompleteEntry[];
  /** Checks that skipped themselves for a lockfile (`context.skip`). */
  readonly skipped: SkippedCheck[];
  readonly notes: CheckNote[];
}

/** Thrown by `context.skip`; caught by the engine only, so it never escapes as an error. */
class CheckSkipped extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.reason = reason;
  }
}

export async function runChecks(
  graphs: readonly DependencyGraph[],
  selected: readonly SelectedCheck[],
  options: RunChecksOptions,
): Promise<RunChecksResult> {
  const findings: Finding[] = [];
  const incomplete: IncompleteEntry[] = [];
  const skipped: SkippedCheck[] = [];
  const notes: CheckNote[] = [];
  const steps = graphs.length * selected.length;
  let step = 0;
  for (const graph of graphs) {
    const services = options.servicesFor?.(graph) ?? withoutServices();
    for (const entry of selected) {
      const checkId = entry.check.meta.id;
      const lockfile = graph.lockfile.path;
      step += 1;
      options.onCheckStart?.({ checkId, lockfile, step, steps });
      const note = (message: string): void => {
        notes.push({ checkId, lockfile, message });
      };
      const context = createCheckContext(graph, entry, options, findings, services, note);
      try {
        await entry.check.run(context);
      } catch (error) {
        if (error instanceof CheckSkipped) skipped.push({ checkId, lockfile, reason: error.reason });
        // The user's configuration (an unusable .npmrc, a bad option) is not a crash: exit 2.
        else if (error instanceof ConfigError || error instanceof UsageError) throw error;
        else incomplete.push(toIncompleteEntry(checkId, lockfile, error));
      }
    }
  }
  findings.sort(compareFindings);
  return { findings: dedupe(findings), incomplete, skipped, notes };
}

function toIncompleteEntry(checkId: string, lockfile: string, error: unknown): IncompleteEntry {
  if (error instanceof SourceUnavailableError) {
    return { checkId, lockfile, kind: 'source-unavailable', code: error.code, message: error.message };
  }
  const crash = new CheckCrashError(`check "${checkId}" crashed on ${lockfile}: ${messageOf(error)}`, {
    cause: error,
  });
  const code = isPkgguardError(error) ? error.code : crash.code;
  return { checkId, lockfile, kind: 'crashed', code, message: crash.message, stack: stackOf(error) };
}

function stackOf(error: unknown): string | undefined {
  return error instanceof Error ? error.stack : undefined;
}

function createCheckContext(
  graph: DependencyGraph,
  entry: SelectedCheck,
  options: RunChecksOptions,
  sink: Finding[],
  services: CheckServices,
  note: (message: string) => void,
): CheckContext {
  const { meta } = entry.check;
  const pathCache = new Map<string, readonly string[]>();
  const pathOf = (node: PackageNode): readonly string[] => {
    let path = pathCache.get(node.id);
    if (!path) {
      const chain = graph.pathsTo(node, 1)[0] ?? [node];
      path = chain.map(label);
      pathCache.set(node.id, path);
    }
    return path;
  };
  return {
    graph,
    options: entry.options,
    offline: options.offline,
    signal: options.signal,
    log: options.log,
    services,
    note,
    skip(reason: string): never {
      throw new CheckSkipped(reason);
    },
    report(descriptor: ReportDescriptor<string>) {
      // Own keys only: "constructor" or "toString" must not find Object.prototype's members.
      const rule = Object.hasOwn(meta.rules, descriptor.rule) ? meta.rules[descriptor.rule] : undefined;
      if (!rule) {
        // A programming error in the check, so it surfaces as a crash (ESLint does the same).
        throw new TypeError(`check "${meta.id}" reported unknown rule "${descriptor.rule}"`);
      }
      const { node } = descriptor;
      if (options.includeNode && !options.includeNode(node)) return;
      const { dynamicRule } = descriptor;
      const ruleId = dynamicRule?.id ?? `${meta.id}/${descriptor.rule}`;
      const data = { name: node.name, version: node.version, ...descriptor.data };
      sink.push({
        checkId: meta.id,
        ruleId,
        severity: entry.severity ?? descriptor.severity ?? dynamicRule?.severity ?? rule.severity ?? meta.defaultSeverity,
        message: interpolate(rule.message, data),
        package: { name: node.name, version: node.version, id: node.id, path: pathOf(node) },
        location: descriptor.location ?? node.location,
        fix: descriptor.fix,
        references: descriptor.references,
        data,
        helpUri: meta.docs,
        ...(dynamicRule ? { rule: findingRuleOf(dynamicRule) } : {}),
        fingerprint: fingerprintOf({
          ruleId,
          file: graph.lockfile.path,
          packageId: node.id,
          name: node.name,
          version: node.version,
          discriminator: descriptor.discriminator,
        }),
      });
    },
  };
}

/** The rule's text travels with each finding: reporters know checks' metadata, not run-time rules. */
function findingRuleOf(rule: DynamicRule): FindingRule {
  return {
    description: rule.description,
    ...(rule.help === undefined ? {} : { help: rule.help }),
    ...(rule.helpUri === undefined ? {} : { helpUri: rule.helpUri }),
    ...(rule.score === undefined ? {} : { score: rule.score }),
    ...(rule.tags === undefined ? {} : { tags: rule.tags }),
  };
}

function label(node: PackageNode): string {
  return node.version ? `${node.name}@${node.version}` : node.name;
}

/** A check that reports the same thing twice for one package would double-count; keep one. */
function dedupe(sorted: Finding[]): Finding[] {
  const seen = new Set<string>();
  return sorted.filter((finding) => {
    if (seen.has(finding.fingerprint)) return false;
    seen.add(finding.fingerprint);
    return true;
  });
}
