/**
 * Runs Microsoft's SARIF Multitool (`@microsoft/sarif-multitool`, a devDependency) from tests.
 *
 * The npm package's JS wrapper resolves `@microsoft/sarif-multitool-<platform>` and spawns the
 * self-contained .NET binary inside it. That platform package makes the binary executable in a
 * postinstall script, which npm 11 does not run unless scripts are allowed, so after a clean
 * `npm ci` the file may lack its execute bit: we set it ourselves. Globalization-invariant mode
 * spares the .NET runtime a libicu it may not find. Anything that still keeps the binary from
 * starting is returned as a reason, for the caller to skip visibly.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const CONFIG = new URL('./multitool-github.config.xml', import.meta.url);
const ENV = { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_NOLOGO: '1' };

export type MultitoolProbe = { readonly binary: string } | { readonly reason: string };

export interface MultitoolFinding {
  readonly ruleId: string;
  readonly level: string;
  readonly text: string;
}

export interface MultitoolReport {
  readonly findings: readonly MultitoolFinding[];
  /** Notifications about the tool's own configuration (e.g. a rule we disabled). */
  readonly configurationNotices: readonly string[];
}

export function probeMultitool(): MultitoolProbe {
  let binary: string;
  try {
    binary = require('@microsoft/sarif-multitool') as string;
  } catch (error) {
    return { reason: `@microsoft/sarif-multitool has no binary for ${process.platform}/${process.arch}: ${String(error)}` };
  }
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    try {
      chmodSync(binary, 0o755);
    } catch (error) {
      return { reason: `cannot make ${binary} executable: ${String(error)}` };
    }
  }
  const run = spawnSync(binary, ['--version'], { env: ENV, encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) {
    const detail = (run.stderr || run.stdout || String(run.error)).trim().split('\n')[0];
    return { reason: `Sarif.Multitool does not start here (exit ${String(run.status)}): ${detail}` };
  }
  return { binary };
}

interface LogResult {
  ruleId?: string;
  level?: string;
  message?: { text?: string; arguments?: string[] };
}

/** `validate` with the SARIF and GitHub (Ghas) rule kinds and our policy; reads its output log. */
export function validateWithMultitool(binary: string, sarifText: string): MultitoolReport {
  const dir = mkdtempSync(path.join(tmpdir(), 'pkgguard-multitool-'));
  const input = path.join(dir, 'report.sarif');
  const output = path.join(dir, 'validation.sarif');
  let log: {
    runs: { results?: LogResult[]; invocations?: { toolConfigurationNotifications?: { message: { text: string } }[] }[] }[];
  };
  try {
    writeFileSync(input, sarifText);
    // The target goes first: --log takes a list and would swallow a path after it.
    const args = [
      'validate', input,
      '--rule-kind', 'Sarif;Ghas',
      '--level', 'Error;Warning',
      '--config', fileURLToPath(CONFIG),
      '--output', output,
      '--log', 'ForceOverwrite',
    ];
    const run = spawnSync(binary, args, { env: ENV, encoding: 'utf8', timeout: 120_000 });
    // The exit code is 0 even when the log has errors: the log is the verdict.
    if (run.status !== 0) throw new Error(`Sarif.Multitool failed (exit ${String(run.status)}):\n${run.stdout}\n${run.stderr}`);
    log = JSON.parse(readFileSync(output, 'utf8').replace(/^\uFEFF/, '')) as typeof log;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const runLog = log.runs[0];
  return {
    findings: (runLog?.results ?? []).map((result) => ({
      ruleId: result.ruleId ?? '',
      level: result.level ?? 'warning',
      text: [result.message?.text, ...(result.message?.arguments ?? [])].filter(Boolean).join(' | '),
    })),
    configurationNotices: (runLog?.invocations ?? []).flatMap((inv) => (inv.toolConfigurationNotifications ?? []).map((n) => n.message.text)),
  };
}
