/**
 * CVSS base scores from vectors (v3.0, v3.1, v4.0) with ae-cvss-calculator, loaded only when a
 * record has no published severity label (≈ 130 ms to load; GitHub and npm records carry one).
 */
import type { Severity } from '../core/severity.ts';
import type { CvssScore } from './types.ts';

type CvssVersion = CvssScore['version'];

/** A vector of each supported version, most precise first: v4 > v3.1 > v3.0. */
const PREFIXES: readonly [CvssVersion, string][] = [
  ['4.0', 'CVSS:4.0/'],
  ['3.1', 'CVSS:3.1/'],
  ['3.0', 'CVSS:3.0/'],
];

export function cvssVersionOf(vector: string): CvssVersion | undefined {
  return PREFIXES.find(([, prefix]) => vector.startsWith(prefix))?.[0];
}

/** The vector to score among a record's `severity` entries: the newest CVSS version published. */
export function preferredVector(vectors: readonly string[]): { version: CvssVersion; vector: string } | undefined {
  for (const [version] of PREFIXES) {
    const vector = vectors.find((candidate) => cvssVersionOf(candidate) === version);
    if (vector !== undefined) return { version, vector };
  }
  return undefined;
}

interface CalculatorInstance {
  calculateScores(): { base?: number | undefined };
}
type CalculatorClass = new (vector: string) => CalculatorInstance;
interface CalculatorModule {
  readonly Cvss3P0: CalculatorClass;
  readonly Cvss3P1: CalculatorClass;
  readonly Cvss4P0: CalculatorClass;
}

export type CvssScorer = (version: CvssVersion, vector: string) => number | undefined;

let calculator: Promise<CalculatorModule> | undefined;

function loadCalculator(): Promise<CalculatorModule> {
  // A webpack bundle in CommonJS: the classes are on the default export.
  calculator ??= import('ae-cvss-calculator').then((module) => (module as unknown as { default: CalculatorModule }).default);
  return calculator;
}

/** A scorer: the base score, or `undefined` for a vector the calculator cannot read. */
export async function loadCvssScorer(): Promise<CvssScorer> {
  const module = await loadCalculator();
  const classes: Record<CvssVersion, CalculatorClass> = { '3.0': module.Cvss3P0, '3.1': module.Cvss3P1, '4.0': module.Cvss4P0 };
  return (version, vector) => {
    try {
      const base = new classes[version](vector).calculateScores().base;
      return typeof base === 'number' && Number.isFinite(base) && base >= 0 && base <= 10 ? base : undefined;
    } catch {
      // The calculator throws TypeErrors on malformed vectors; an unreadable vector has no score.
      return undefined;
    }
  };
}

/** CVSS's qualitative bands (v3.1 §5, v4.0 §6), in npm's words. */
export function severityOfScore(score: number): Severity {
  if (score === 0) return 'info';
  if (score < 4) return 'low';
  if (score < 7) return 'moderate';
  if (score < 9) return 'high';
  return 'critical';
}
