/**
 * The lockfile parsers, in detection order: one row per format. Adding a format is adding a
 * row; detection (detect.ts) and dispatch (index.ts) both read their file names from here.
 * Kept apart from index.ts so detect.ts can read it without an import cycle.
 */
import type { LockfileParser } from '../core/parser.ts';
import npm from './npm.ts';
import { yarnClassic, yarnBerry } from './yarn.ts';
import pnpm from './pnpm.ts';
import bun from './bun.ts';

export const LOCKFILE_PARSERS: readonly LockfileParser[] = [npm, yarnClassic, yarnBerry, pnpm, bun];

/** Every file name some parser claims, in detection order, without repeats. */
export function knownLockfileNames(parsers: readonly LockfileParser[] = LOCKFILE_PARSERS): string[] {
  return [...new Set(parsers.flatMap((parser) => parser.filenames))];
}
