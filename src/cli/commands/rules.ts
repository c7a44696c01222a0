/** `pkgguard rules`: every check and its rules, with default severities and docs links. */
import { builtInChecks } from '../../checks/index.ts';
import type { CliIO } from '../io.ts';

export function runRules(options: Record<string, unknown>, io: CliIO): number {
  const rows = builtInChecks.map(({ meta }) => ({
    id: meta.id,
    description: meta.description,
    defaultSeverity: meta.defaultSeverity,
    requiresNetwork: meta.requiresNetwork,
    // Only the exceptions carry the key, so existing consumers see the rows they always saw.
    ...(meta.enabledByDefault === false ? { enabledByDefault: false } : {}),
    docs: meta.docs,
    rules: Object.entries(meta.rules).map(([key, rule]) => ({
      id: `${meta.id}/${key}`,
      description: rule.description,
      defaultSeverity: rule.severity ?? meta.defaultSeverity,
    })),
  }));
  if (options['json']) {
    io.stdout.write(`${JSON.stringify({ schemaVersion: 1, checks: rows }, null, 2)}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const check of rows) {
    const traits = [check.requiresNetwork ? 'network' : '', check.enabledByDefault === false ? 'off by default' : ''].filter(Boolean).join(', ');
    lines.push(`${check.id}${traits === '' ? '' : ` (${traits})`} - ${check.description}`, `  docs: ${check.docs}`);
    const width = Math.max(...check.rules.map((rule) => rule.id.length));
    for (const rule of check.rules) lines.push(`  ${rule.id.padEnd(width)}  ${rule.defaultSeverity.padEnd(8)}  ${rule.description}`);
    lines.push('');
  }
  io.stdout.write(`${lines.join('\n')}`);
  return 0;
}
