/** The yarn parser tests' inputs: fixture lockfiles and in-memory ones. */
import { fileURLToPath } from 'node:url';
import type { LockfileInput } from '../../src/core/parser.ts';
import { inlineInput, readInput } from './graph-summary.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/lockfiles/', import.meta.url));

/** fixtures/lockfiles/<format>/<scenario>/yarn.lock as the detector would hand it over. */
export function fixture(format: 'yarn-classic' | 'yarn-berry', scenario: string): LockfileInput {
  return readInput(`${FIXTURES}${format}/${scenario}/yarn.lock`);
}

/** An in-memory yarn.lock in a directory that does not exist. */
export function inline(text: string): LockfileInput {
  return inlineInput(text, 'yarn.lock');
}
