// Times one tool on one lockfile: a warm-up run that must succeed, then N timed runs, strictly
// one after another (spawnSync), so runs never compete for the machine's two cores.
import process from 'node:process';
import { spawnSync } from 'node:child_process';
import { median, percentile } from './stats.js';

// Audit JSON for a 10,000-entry lockfile with many findings can run to tens of megabytes.
const WARM_UP_MAX_BUFFER = 512 * 1024 * 1024;

/**
 * `cpuClock` (optional, from cpu.js) reads the CPU time of finished children; with it each row
 * also gets `cpuSamplesMs` and `cpuMedianMs`.
 */
export function measureTool(tool, lockfile, { runs, cwd, timeoutMs, cpuClock }) {
  const row = { lockfile: lockfile.name, tool: tool.id, label: tool.label, ...(tool.reference ? { reference: true } : {}) };
  const command = tool.command(lockfile);
  if (command.unavailable) return { ...row, status: 'unavailable', reason: command.unavailable };
  const env = command.env ? { ...process.env, ...command.env } : undefined;

  // The warm-up fills the OS file cache and proves the command works before we time it.
  const warmUp = spawnSync(command.file, command.args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: WARM_UP_MAX_BUFFER,
    timeout: timeoutMs,
  });
  const warmUpFailure = failureOf(warmUp, tool.okExitCodes, timeoutMs);
  if (warmUpFailure) return { ...row, status: 'failed', reason: `warm-up ${warmUpFailure}` };
  let note;
  if (tool.summarize) {
    try {
      note = tool.summarize(warmUp.stdout);
    } catch (error) {
      return { ...row, status: 'failed', reason: `unexpected stdout: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  const samplesMs = [];
  const cpuSamplesMs = [];
  const exitCodes = [];
  for (let run = 0; run < runs; run++) {
    const cpuStart = cpuClock?.();
    const start = process.hrtime.bigint();
    // stdout goes to /dev/null: we time the work, not a pipe into this process.
    const result = spawnSync(command.file, command.args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: timeoutMs });
    const elapsedNs = process.hrtime.bigint() - start;
    const failure = failureOf(result, tool.okExitCodes, timeoutMs);
    if (failure) return { ...row, status: 'failed', reason: `run ${run + 1} ${failure}`, exitCodes, samplesMs };
    samplesMs.push(Number(elapsedNs) / 1e6);
    if (cpuClock) cpuSamplesMs.push(cpuClock() - cpuStart);
    exitCodes.push(result.status);
  }
  return {
    ...row,
    status: 'ok',
    ...(note === undefined ? {} : { note }),
    exitCodes,
    samplesMs,
    medianMs: median(samplesMs),
    p90Ms: percentile(samplesMs, 90),
    ...(cpuClock ? { cpuSamplesMs, cpuMedianMs: median(cpuSamplesMs) } : {}),
  };
}

/** Why a finished process does not count as a run, or undefined when it does. */
function failureOf(result, okExitCodes, timeoutMs) {
  if (result.error?.code === 'ETIMEDOUT') return `timed out after ${timeoutMs / 1000} s (--timeout)`;
  if (result.error) return `could not run: ${result.error.message}`;
  if (result.status === null) return `killed by ${result.signal}`;
  if (okExitCodes.includes(result.status)) return undefined;
  const firstLine = (result.stderr ?? '').split('\n').find((line) => line.trim() !== '') ?? 'no stderr';
  return `exit ${result.status}: ${firstLine.trim()}`;
}
