/**
 * Check options whose value names a file. The configuration loader reads such a file and hands
 * the check `{ path, text }` instead of the path, because checks do no I/O: their options come
 * from the engine, already validated. Paths are relative to the configuration file's directory.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, messageOf } from '../core/errors.ts';
import type { CheckSettings } from '../core/select.ts';

/** Check id → option keys that hold a path. */
export const FILE_OPTIONS: Readonly<Record<string, readonly string[]>> = {
  typosquat: ['popularList'],
};

/** Replaces, in place, every path-valued option of FILE_OPTIONS by the file's `{ path, text }`. */
export async function readFileOptions(checks: Record<string, CheckSettings>, baseDir: string, label: string): Promise<void> {
  for (const [checkId, keys] of Object.entries(FILE_OPTIONS)) {
    const setting = checks[checkId];
    const options = setting?.options;
    if (setting === undefined || !isRecord(options)) continue;
    const resolved: Record<string, unknown> = { ...options };
    for (const key of keys) {
      const value = options[key];
      // Any other type is left for the check's option schema to reject with its own message.
      if (typeof value !== 'string') continue;
      try {
        resolved[key] = { path: value, text: await readFile(path.resolve(baseDir, value), 'utf8') };
      } catch (error) {
        // The code, not the message: Node's message repeats the absolute path.
        const reason = (error as NodeJS.ErrnoException).code ?? messageOf(error);
        throw new ConfigError(`${label}: checks.${checkId}.${key}: cannot read ${value} (${reason})`, {
          hints: [`the path is relative to the directory of ${label}`],
        });
      }
    }
    checks[checkId] = { ...setting, options: resolved };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
