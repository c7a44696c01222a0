// Runs the built CLI's `audit ... --format json` as one whole process for the network benches
// (bench:registry, bench:tarballs): wall time, the parsed report and stderr, or a rejection
// naming the exit code when the audit did not pass.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/pkgguard.js', import.meta.url));

/**
 * @param {{ args: string[], env: Record<string, string | undefined>, nodeArgs?: string[] }} run
 * @returns {Promise<{ ms: number, report: any, stderr: string }>}
 */
export function spawnAudit({ args, env, nodeArgs = [] }) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, BIN, 'audit', ...args, '--format', 'json'], {
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code !== 0) return reject(new Error(`pkgguard exited ${code}: ${stderr.trim()}\n${stdout.slice(0, 500)}`));
      resolve({ ms, report: JSON.parse(stdout), stderr });
    });
  });
}
