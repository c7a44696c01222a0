/**
 * Failures both yarn parsers report: one line starting `<file>:<line>:<column>:`, plus hints
 * naming the yarn command that rewrites the file. Yarn (classic since 1.10, and Berry)
 * resolves merge conflicts in yarn.lock by itself on the next install, so a conflict's hint
 * says so.
 */
import { LockfileParseError } from '../core/errors.ts';
import type { LockfileInput } from '../core/parser.ts';
import type { TextPosition } from './locate/position.ts';
import { findMergeConflictMarker } from './merge-conflict.ts';

/** Which yarn wrote the file decides the command in the hints. */
export type YarnFlavour = 'classic' | 'berry';

export function regenerateHint(flavour: YarnFlavour): string {
  return flavour === 'classic'
    ? 'regenerate it with yarn 1: yarn install'
    : 'regenerate it with: yarn install --mode=update-lockfile (yarn 3+; plain yarn install on yarn 2)';
}

export function lockfileError(input: LockfileInput, flavour: YarnFlavour, at: TextPosition, message: string): LockfileParseError {
  return new LockfileParseError(`${input.path}:${at.line}:${at.column}: ${message}`, { hints: [regenerateHint(flavour)] });
}

export function assertNoMergeConflict(input: LockfileInput, flavour: YarnFlavour, text: string): void {
  const conflict = findMergeConflictMarker(text);
  if (!conflict) return;
  throw new LockfileParseError(`${input.path}:${conflict.line}:1: unresolved git merge conflict (a "${conflict.marker}" marker)`, {
    hints: [
      `resolve the conflict: ${flavour === 'classic' ? 'yarn install' : 'yarn install --mode=update-lockfile'} merges a conflicted yarn.lock by itself`,
      `or take one side and reinstall: git checkout --theirs ${input.path} && yarn install`,
    ],
  });
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Berry files have a top-level `__metadata` block; classic ones never do. */
const BERRY_METADATA = /^(?:__metadata|"__metadata"|'__metadata')[ \t]*:/m;

export function isBerryLockfile(text: string): boolean {
  return BERRY_METADATA.test(text);
}

export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a block' : `a ${typeof value}`;
}
