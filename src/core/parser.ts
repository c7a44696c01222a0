import type { DependencyGraph, LockfileFormat } from './graph.ts';

export interface LockfileInput {
  /** Relative to the project root, POSIX separators; used in every location. */
  readonly path: string;
  /** Absolute path, for libraries that insist on one. Never printed. */
  readonly absolutePath: string;
  readonly text: string;
}

export interface LockfileParser {
  readonly format: LockfileFormat;
  /** Base names this parser claims, in detection order. */
  readonly filenames: readonly string[];
  /** Cheap content sniff where a file name is shared (yarn.lock classic vs Berry). */
  accepts(input: LockfileInput): boolean;
  /**
   * Never touches the network. Throws LockfileParseError / UnsupportedLockfileError with a
   * location and a hint.
   */
  parse(input: LockfileInput): Promise<DependencyGraph>;
}
