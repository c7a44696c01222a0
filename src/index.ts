/** pkgguard's public API: the library comes first, the CLI adapts it. */
export { audit, DEFAULT_FAIL_ON, type AuditOptions } from './audit.ts';
export { builtInChecks } from './checks/index.ts';
export { defineCheck, type Check, type CheckContext, type CheckMeta, type DynamicRule, type RuleMeta } from './core/check.ts';
export { ExitCode, PkgguardError } from './core/errors.ts';
export type { Finding, FindingRule, FixHint, PackageRef } from './core/finding.ts';
export type { DependencyEdge, DependencyGraph, LockfileFormat, PackageNode, PackageSource } from './core/graph.ts';
export { defineReporter, type AuditResult, type Reporter } from './core/reporter.ts';
export { SEVERITIES, type FailOn, type Severity } from './core/severity.ts';
export { loadLockfiles } from './lockfiles/index.ts';
