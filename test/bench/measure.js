// Times the tools of one lockfile: each tool's warm-up, then the timed runs in rounds, every tool
// once per round. Runs are strictly one after another (spawnSync), so they never compete for the
// machine's two cores; and the rounds make a drift in the machine's speed (other work, the page
// cache, memory the host reclaims) fall on every tool alike, so the ratios between tools, which
// are the goal of issue #3, compare runs made side by side rather than minutes apart.
import process from 'node:process';
import { spawnSync } from 'node:child_process';
import { median, percentile } from './stats.js';

// Audit JSON for a 10,000-entry lockfile with many findings can run to tens of megabytes.
const WARM_UP_MAX_BUFFER = 512 * 1024 * 1024;

/**
 * One row per tool, in the order given. `cpuClock` (optional, from cpu.js) reads the CPU time of
 * finished children; with it each row also gets `cpuSamplesMs` and `cpuMedianMs`. `onWarmUp` is
 * told each tool before its warm-up (progress on stderr).
 */
export function measureTools(tools, lockfile, { runs, cwd, timeoutMs, cpuClock, onWarmUp }) {
  const timings = tools.map((tool) => {
    onWarmUp?.(tool);
    return warmUp(tool, lockfile, { cwd, timeoutMs });
  });
  for (let run = 0; run < runs; run++) {
    for (const timing of timings) if (timing.failed === undefined && timing.row.status === undefined) timeRun(timing, run, { cwd, timeoutMs, cpuClock });
  }
  return timings.map((timing) => rowOf(timing, cpuClock !== undefined));
}

/** The warm-up fills the OS file cache and proves the command works before we time it. */
function warmUp(tool, lockfile, { cwd, timeoutMs }) {
  const row = { lockfile: lockfile.name, tool: tool.id, label: tool.label, ...(tool.reference ? { reference: true } : {}) };
  const command = tool.command(lockfile);
  if (command.unavailable) return { row: { ...row, status: 'unavailable', reason: command.unavailable } };
  const env = command.env ? { ...process.env, ...command.env } : undefined;
  const result = spawnSync(command.file, command.args, {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: WARM_UP_MAX_BUFFER,
    timeout: timeoutMs,
  });
  const failure = failureOf(result, tool.okExitCodes, timeoutMs);
  if (failure) return { row: { ...row, status: 'failed', reason: `warm-up ${failure}` } };
  let note;
  if (tool.summarize) {
    try {
      note = tool.summarize(result.stdout);
    } catch (error) {
      return { row: { ...row, status: 'failed', reason: `unexpected stdout: ${error instanceof Error ? error.message : String(error)}` } };
    }
  }
  return { row, tool, command, env, note, samplesMs: [], cpuSamplesMs: [], exitCodes: [], failed: undefined };
}

function timeRun(timing, run, { cwd, timeoutMs, cpuClock }) {
  const { command, env, tool } = timing;
  const cpuStart = cpuClock?.();
  const start = process.hrtime.bigint();
  // stdout goes to /dev/null: we time the work, not a pipe into this process.
  const result = spawnSync(command.file, command.args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: timeoutMs });
  const elapsedNs = process.hrtime.bigint() - start;
  const failure = failureOf(result, tool.okExitCodes, timeoutMs);
  if (failure) {
    timing.failed = `run ${run + 1} ${failure}`;
    return;
  }
  timing.samplesMs.push(Number(elapsedNs) / 1e6);
  if (cpuClock) timing.cpuSamplesMs.push(cpuClock() - cpuStart);
  timing.exitCodes.push(result.status);
}

function rowOf(timing, withCpu) {
  const { row, note, samplesMs, cpuSamplesMs, exitCodes, failed } = timing;
  if (row.status !== undefined) return row;
  if (failed !== undefined) return { ...row, status: 'failed', reason: failed, exitCodes, samplesMs };
  return {
    ...row,
    status: 'ok',
    ...(note === undefined ? {} : { note }),
    exitCodes,
    samplesMs,
    medianMs: median(samplesMs),
    p90Ms: percentile(samplesMs, 90),
    ...(withCpu ? { cpuSamplesMs, cpuMedianMs: median(cpuSamplesMs) } : {}),
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
