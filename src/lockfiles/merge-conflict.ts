/**
 * Git merge-conflict markers in a lockfile. A conflicted lockfile is not data to audit: parsing
 * one side, or failing with a bare "Unexpected token '<'", would both mislead, so parsers look
 * for the markers first and name the line.
 */
import { positionAt } from './locate/position.ts';

/**
 * Git writes a marker as seven characters at the start of a line, alone or followed by a
 * space and a label (`<<<<<<< HEAD`); diff3 style adds `|||||||`.
 */
const MARKER = /^(?:<{7}|={7}|>{7}|\|{7})(?=$|[ \t])/m;

export interface MergeConflictMarker {
  /** 1-based line of the first marker. */
  readonly line: number;
  /** The seven marker characters (the label after them is left out: it is arbitrary text). */
  readonly marker: string;
}

export function findMergeConflictMarker(text: string): MergeConflictMarker | undefined {
  const match = MARKER.exec(text);
  if (!match) return undefined;
  return { line: positionAt(text, match.index).line, marker: match[0] };
}
