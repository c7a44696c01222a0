// Turns measured rows into ratios and a plain-text table. Pure, so the layout is tested exactly.
import { perThousandEntries, ratio } from './stats.js';

const COUNT = new Intl.NumberFormat('en-US');

/** The sentence a row shows instead of numbers when its tool could not run or failed. */
export function rowProblem(row, failurePrefix) {
  if (row.status === 'unavailable') return `${failurePrefix} ${row.reason}`;
  if (row.status === 'failed') return `${failurePrefix} failed: ${row.reason}`;
  return undefined;
}

function medianOf(rows, lockfile, tool) {
  const row = rows.find((candidate) => candidate.lockfile === lockfile && candidate.tool === tool);
  return row?.status === 'ok' ? row.medianMs : undefined;
}

/**
 * Ratios of medians per lockfile, and the audit's cost per 1,000 entries both raw and above
 * the `node -e 0` baseline: the part that should grow linearly with the lockfile.
 */
export function computeRatios(lockfiles, rows) {
  return lockfiles.map(({ name, entries, lockfileVersion }) => {
    const audit = medianOf(rows, name, 'pkgguard-audit');
    const baseline = medianOf(rows, name, 'baseline');
    return {
      lockfile: name,
      lockfileVersion,
      entries,
      auditMs: audit,
      auditVsJsonParse: ratio(audit, medianOf(rows, name, 'json-parse')),
      lockfileLintVsAudit: ratio(medianOf(rows, name, 'lockfile-lint'), audit),
      loadVirtualVsAudit: ratio(medianOf(rows, name, 'arborist-load-virtual'), audit),
      auditMsPer1kEntries: perThousandEntries(audit, entries),
      auditNetMsPer1kEntries: perThousandEntries(audit === undefined || baseline === undefined ? undefined : audit - baseline, entries),
    };
  });
}

/**
 * Net audit cost per 1,000 entries on the largest lockfile over the smallest one of the same
 * lockfile version (one parser, only size differs). 1.00 means linear; above it, superlinear.
 */
export function computeLinearity(ratios) {
  const measured = ratios.filter((entry) => entry.auditNetMsPer1kEntries !== undefined);
  const large = measured.reduce((best, entry) => (best === undefined || entry.entries > best.entries ? entry : best), undefined);
  if (!large) return undefined;
  const small = measured
    .filter((entry) => entry.lockfileVersion === large.lockfileVersion && entry.entries < large.entries)
    .reduce((best, entry) => (best === undefined || entry.entries < best.entries ? entry : best), undefined);
  if (!small) return undefined;
  // The slope between the two points: what each further 1,000 entries costs once start-up
  // and module loading (the intercept) are paid.
  const marginalMsPer1kEntries = ((large.auditMs - small.auditMs) / (large.entries - small.entries)) * 1000;
  return {
    small: small.lockfile,
    smallEntries: small.entries,
    large: large.lockfile,
    largeEntries: large.entries,
    factor: ratio(large.auditNetMsPer1kEntries, small.auditNetMsPer1kEntries),
    marginalMsPer1kEntries,
    fixedMs: small.auditMs - (marginalMsPer1kEntries * small.entries) / 1000,
  };
}

const ms = (value) => (value === undefined ? 'n/a' : value.toFixed(1));
const times = (value) => (value === undefined ? 'n/a' : `${value.toFixed(2)}x`);

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
    `pkgguard bench: whole processes, wall clock, ${runs} timed run${runs === 1 ? '' : 's'} per row after 1 warm-up`,
    `node ${environment.node} on ${environment.platform} ${environment.arch}, ${environment.cpus} CPUs, ` +
      `1-minute load average ${environment.loadAverage.start.toFixed(2)} at start, ${environment.loadAverage.end.toFixed(2)} at end`,
  ];
  if (environment.extraCaCerts) {
    lines.push('NODE_EXTRA_CA_CERTS is set: every process below pays for loading it (see node -e 0).');
  }
  for (const { name, reason } of skipped) lines.push(`skipped ${name}: ${reason}`);

  for (const lockfile of lockfiles) {
    lines.push('', `${lockfile.name}: lockfile v${lockfile.lockfileVersion}, ${COUNT.format(lockfile.entries)} entries (${lockfile.dir})`);
    const measured = [];
    const problems = [];
    for (const tool of tools) {
      const row = rows.find((candidate) => candidate.lockfile === lockfile.name && candidate.tool === tool.id);
      if (!row) continue;
      const problem = rowProblem(row, tool.failurePrefix ?? tool.label);
      if (problem) problems.push(`  ${tool.label}: ${problem}`);
      else measured.push([tool.label, ms(row.medianMs), ms(row.p90Ms), [...new Set(row.exitCodes)].join(','), row.note ?? '']);
    }
    if (measured.length > 0) lines.push(...table(['tool', 'median ms', 'p90 ms', 'exit', 'note'], measured, [4]));
    lines.push(...problems);
  }

  if (ratios.length > 0) {
    lines.push('', 'Ratios of medians');
    const body = ratios.map((entry) => [
      entry.lockfile,
      COUNT.format(entry.entries),
      times(entry.auditVsJsonParse),
      times(entry.lockfileLintVsAudit),
      times(entry.loadVirtualVsAudit),
      ms(entry.auditMsPer1kEntries),
      ms(entry.auditNetMsPer1kEntries),
    ]);
    lines.push(
      ...table(['lockfile', 'entries', 'audit/JSON.parse', 'lockfile-lint/audit', 'loadVirtual/audit', 'audit ms/1k', 'audit-baseline ms/1k'], body),
    );
  }
  if (linearity) {
    lines.push(
      '',
      `Linearity: audit cost above node -e 0 per 1k entries, ${linearity.large} (${COUNT.format(linearity.largeEntries)}) ` +
        `vs ${linearity.small} (${COUNT.format(linearity.smallEntries)}): ${times(linearity.factor)} (1.00x = linear)`,
      `  slope between them: ${ms(linearity.marginalMsPer1kEntries)} ms per 1k entries on top of ${ms(linearity.fixedMs)} ms fixed (node start included)`,
    );
  }
  return `${lines.join('\n')}\n`;
}
