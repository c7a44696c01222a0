/** The pnpm parser tests' inputs: fixture lockfiles and in-memory ones. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DependencyGraph } from '../../src/core/graph.ts';
import type { LockfileInput } from '../../src/core/parser.ts';
import pnpm from '../../src/lockfiles/pnpm.ts';
import { inlineInput, parseError as parseErrorOf, readInput } from './graph-summary.ts';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/lockfiles/pnpm/', import.meta.url));

/** `fixtures/lockfiles/pnpm/<scenario>/<manager>/pnpm-lock.yaml`, e.g. fixture('basic', 'pnpm9'). */
export function fixture(scenario: string, manager: string): LockfileInput {
  return readInput(path.join(FIXTURES, scenario, manager, 'pnpm-lock.yaml'));
}

/** An in-memory lockfile of a project folder named "project". */
export function inline(text: string): LockfileInput {
  return inlineInput(text, 'pnpm-lock.yaml');
}

export async function parseFixture(scenario: string, manager: string): Promise<DependencyGraph> {
  return await pnpm.parse(fixture(scenario, manager));
}

/** The error a pnpm parse fails with (an Error saying so when it does not fail). */
export async function parseError(input: LockfileInput): Promise<unknown> {
  return await parseErrorOf(pnpm, input);
}
