// Turns measured rows into ratios and a plain-text table. Pure, so the layout is tested exactly.
import { perThousandEntries, ratio } from './stats.js';

const COUNT = new Intl.NumberFormat('en-US');

/** The sentence a row shows instead of numbers when its tool could not run or failed. */
export function rowProblem(row, failurePrefix) {
  if (row.status === 'unavailable') return `${failurePrefix} ${row.reason}`;
  if (row.status === 'failed') return `${failurePrefix} failed: ${row.reason}`;
  return undefined;
}

function medianOf(rows, lockfile, tool, field = 'medianMs') {
  const row = rows.find((candidate) => candidate.lockfile === lockfile && candidate.tool === tool);
  return row?.status === 'ok' ? row[field] : undefined;
}

/** Issue #3's goal: audit within this factor of the plain reference parse (no goal for npm). */
export const AUDIT_GOALS = { 'yarn-classic': 1.5, 'yarn-berry': 1.5, pnpm: 1.5, bun: 2 };

/**
 * The fastest reference parse measured on a lockfile, by wall clock or (`field`) CPU time: the
 * strictest yardstick for audit.
 */
function fastestReference(rows, lockfile, field = 'medianMs') {
  return rows
    .filter((row) => row.lockfile === lockfile && row.reference && row.status === 'ok' && row[field] !== undefined)
    .reduce((best, row) => (best === undefined || row[field] < best[field] ? row : best), undefined);
}

/**
 * Ratios of medians per lockfile: audit and ls over the fastest plain parse of the same file
 * (with issue #3's goal), other tools over audit, and the audit's cost per 1,000 entries both
 * raw and above the `node -e 0` baseline: the part that should grow linearly with the lockfile.
 */
export function computeRatios(lockfiles, rows) {
  return lockfiles.map(({ name, format, formatLabel, entries, lockfileVersion }) => {
    const audit = medianOf(rows, name, 'pkgguard-audit');
    const baseline = medianOf(rows, name, 'baseline');
    const auditCpu = medianOf(rows, name, 'pkgguard-audit', 'cpuMedianMs');
    const baselineCpu = medianOf(rows, name, 'baseline', 'cpuMedianMs');
    const reference = fastestReference(rows, name);
    const auditVsReference = ratio(audit, reference?.medianMs);
    const goal = AUDIT_GOALS[format];
    return {
      lockfile: name,
      format,
      formatLabel,
      lockfileVersion,
      entries,
      auditMs: audit,
      reference: reference?.label,
      referenceMs: reference?.medianMs,
      auditVsReference,
      // By CPU time, steadier than wall clock on a busy machine, against the reference fastest by CPU.
      auditCpuMs: auditCpu,
      auditVsReferenceCpu: ratio(auditCpu, fastestReference(rows, name, 'cpuMedianMs')?.cpuMedianMs),
      lsVsReference: ratio(medianOf(rows, name, 'pkgguard-ls'), reference?.medianMs),
      goal,
      goalMet: goal === undefined || auditVsReference === undefined ? undefined : auditVsReference <= goal,
      snykVsAudit: ratio(medianOf(rows, name, 'snyk-parser'), audit),
      lockfileLintVsAudit: ratio(medianOf(rows, name, 'lockfile-lint'), audit),
      loadVirtualVsAudit: ratio(medianOf(rows, name, 'arborist-load-virtual'), audit),
      auditMsPer1kEntries: perThousandEntries(audit, entries),
      auditNetMsPer1kEntries: perThousandEntries(audit === undefined || baseline === undefined ? undefined : audit - baseline, entries),
      auditNetCpuMsPer1kEntries: perThousandEntries(
        auditCpu === undefined || baselineCpu === undefined ? undefined : auditCpu - baselineCpu,
        entries,
      ),
    };
  });
}

/**
 * Per lockfile family (one format and version, so one parser and only size differs): net audit
 * cost per 1,000 entries on its largest lockfile over its smallest. 1.00 means linear; above
 * it, superlinear. Families with fewer than two measured lockfiles are left out.
 */
export function computeLinearity(ratios) {
  const measured = ratios.filter((entry) => entry.auditNetMsPer1kEntries !== undefined);
  const families = new Map();
  for (const entry of measured) {
    families.set(entry.formatLabel, [...(families.get(entry.formatLabel) ?? []), entry]);
  }
  const result = [];
  for (const [family, entries] of families) {
    if (entries.length < 2) continue;
    const large = entries.reduce((best, entry) => (entry.entries > best.entries ? entry : best));
    const small = entries.reduce((best, entry) => (entry.entries < best.entries ? entry : best));
    if (large.entries === small.entries) continue;
    // The slope between the two points: what each further 1,000 entries costs once start-up
    // and module loading (the intercept) are paid.
    const marginalMsPer1kEntries = ((large.auditMs - small.auditMs) / (large.entries - small.entries)) * 1000;
    const cpuMarginal =
      large.auditCpuMs === undefined || small.auditCpuMs === undefined
        ? undefined
        : ((large.auditCpuMs - small.auditCpuMs) / (large.entries - small.entries)) * 1000;
    result.push({
      family,
      small: small.lockfile,
      smallEntries: small.entries,
      large: large.lockfile,
      largeEntries: large.entries,
      factor: ratio(large.auditNetMsPer1kEntries, small.auditNetMsPer1kEntries),
      cpuFactor: ratio(large.auditNetCpuMsPer1kEntries, small.auditNetCpuMsPer1kEntries),
      marginalMsPer1kEntries,
      fixedMs: small.auditMs - (marginalMsPer1kEntries * small.entries) / 1000,
      cpuMarginalMsPer1kEntries: cpuMarginal,
      cpuFixedMs: cpuMarginal === undefined ? undefined : small.auditCpuMs - (cpuMarginal * small.entries) / 1000,
    });
  }
  return result;
}

const ms = (value) => (value === undefined ? 'n/a' : value.toFixed(1));
const times = (value) => (value === undefined ? 'n/a' : `${value.toFixed(2)}x`);

function goalText(entry) {
  if (entry.goal === undefined) return '';
  const goal = `<= ${entry.goal.toFixed(2)}x`;
  if (entry.goalMet === undefined) return `${goal} n/a`;
  return `${goal} ${entry.goalMet ? 'met' : 'MISSED'}`;
}

/** Text columns (the first, and any listed in `textColumns`) align left, numbers right. */
function table(header, body, textColumns = []) {
  const widths = header.map((cell, column) => Math.max(cell.length, ...body.map((row) => row[column].length)));
  const isText = (column) => column === 0 || textColumns.includes(column);
  const line = (cells) =>
    `  ${cells.map((cell, column) => (isText(column) ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ')}`.trimEnd();
  return [line(header), ...body.map(line)];
}

export function formatReport({ environment, runs, lockfiles, skipped, rows, tools, ratios, linearity }) {
  const lines = [
    `pkgguard bench: whole processes, wall clock, ${runs} timed run${runs === 1 ? '' : 's'} per row after 1 warm-up, in rounds (every tool of a lockfile once per round)`,
    `node ${environment.node} on ${environment.platform} ${environment.arch}, ${environment.cpus} CPUs, ` +
      `1-minute load average ${environment.loadAverage.start.toFixed(2)} at start, ${environment.loadAverage.end.toFixed(2)} at end`,
  ];
  if (environment.extraCaCerts) {
    lines.push('NODE_EXTRA_CA_CERTS is set: every process below pays for loading it (see node -e 0).');
  }
  if (environment.pkgguardRegistry === 'as-is') {
    lines.push("pkgguard rows: this machine's npm configuration as-is (--registry-as-is).");
  } else if (environment.pkgguardRegistry !== undefined) {
    lines.push(`pkgguard rows: npm_config_registry=${environment.pkgguardRegistry}, the registry the bench lockfiles name (see --registry-as-is).`);
  }
  if (environment.cpuTime) {
    lines.push('cpu ms: user + system time of the process (Linux /proc, clock ticks), steadier than wall clock on a busy machine.');
  }
  for (const { name, reason } of skipped) lines.push(`skipped ${name}: ${reason}`);

  for (const lockfile of lockfiles) {
    lines.push('', `${lockfile.name}: ${lockfile.formatLabel}, ${COUNT.format(lockfile.entries)} entries (${lockfile.dir})`);
    const measured = [];
    const problems = [];
    for (const tool of tools) {
      const row = rows.find((candidate) => candidate.lockfile === lockfile.name && candidate.tool === tool.id);
      if (!row) continue;
      const problem = rowProblem(row, tool.failurePrefix ?? tool.label);
      if (problem) problems.push(`  ${tool.label}: ${problem}`);
      else measured.push([tool.label, ms(row.medianMs), ms(row.p90Ms), ms(row.cpuMedianMs), [...new Set(row.exitCodes)].join(','), row.note ?? '']);
    }
    if (measured.length > 0) lines.push(...table(['tool', 'median ms', 'p90 ms', 'cpu ms', 'exit', 'note'], measured, [5]));
    lines.push(...problems);
  }

  if (ratios.length > 0) {
    lines.push('', 'Audit against the fastest plain parse of the same file (medians; the goal from issue #3 is on wall clock,');
    lines.push('audit/ref cpu compares CPU time with the reference fastest by CPU)');
    const body = ratios.map((entry) => [
      entry.lockfile,
      COUNT.format(entry.entries),
      entry.reference ?? 'n/a',
      ms(entry.referenceMs),
      ms(entry.auditMs),
      times(entry.auditVsReference),
      times(entry.lsVsReference),
      goalText(entry),
      times(entry.auditVsReferenceCpu),
    ]);
    lines.push(...table(['lockfile', 'entries', 'reference', 'ref ms', 'audit ms', 'audit/ref', 'ls/ref', 'goal', 'audit/ref cpu'], body, [2, 7]));
    lines.push('', 'Other tools against audit, and audit cost per 1k entries');
    const others = ratios.map((entry) => [
      entry.lockfile,
      times(entry.snykVsAudit),
      times(entry.lockfileLintVsAudit),
      times(entry.loadVirtualVsAudit),
      ms(entry.auditMsPer1kEntries),
      ms(entry.auditNetMsPer1kEntries),
      ms(entry.auditNetCpuMsPer1kEntries),
    ]);
    lines.push(
      ...table(['lockfile', 'snyk/audit', 'lockfile-lint/audit', 'loadVirtual/audit', 'audit ms/1k', 'audit-baseline ms/1k', 'cpu ms/1k'], others),
    );
  }
  for (const entry of linearity) {
    lines.push(
      '',
      `Linearity, ${entry.family}: audit cost above node -e 0 per 1k entries, ${entry.large} (${COUNT.format(entry.largeEntries)}) ` +
        `vs ${entry.small} (${COUNT.format(entry.smallEntries)}): ${times(entry.factor)}, by CPU time ${times(entry.cpuFactor)} (1.00x = linear)`,
      `  slope between them: ${ms(entry.marginalMsPer1kEntries)} ms per 1k entries on top of ${ms(entry.fixedMs)} ms fixed (node start included)`,
    );
    if (entry.cpuMarginalMsPer1kEntries !== undefined) {
      lines.push(`  by CPU time: ${ms(entry.cpuMarginalMsPer1kEntries)} ms per 1k entries on top of ${ms(entry.cpuFixedMs)} ms fixed`);
    }
  }
  return `${lines.join('\n')}\n`;
}
