/** Parsers for option values; each throws commander's InvalidArgumentError (exit 2). */
import { InvalidArgumentError } from 'commander';
import { didYouMean } from '../core/did-you-mean.ts';
import { FAIL_ON_VALUES, type FailOn } from '../core/severity.ts';

export const FORMATS = ['text', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface OutputTarget {
  readonly format: Format;
  readonly file: string;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const suggestion = didYouMean(value, allowed);
  throw new InvalidArgumentError(
    `"${value}" is not a ${what}; expected one of ${allowed.join(', ')}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}.`,
  );
}

export const parseFormat = (value: string): Format => oneOf(value, FORMATS, 'format');

export const parseFailOn = (value: string): FailOn => oneOf(value, FAIL_ON_VALUES, 'severity');

/** `--output sarif=results.sarif`, repeatable. */
export function collectOutput(value: string, previous: readonly OutputTarget[]): OutputTarget[] {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) {
    throw new InvalidArgumentError(`expected FORMAT=FILE (e.g. sarif=pkgguard.sarif), got "${value}".`);
  }
  return [...previous, { format: parseFormat(value.slice(0, at)), file: value.slice(at + 1) }];
}

/** `--checks a,b --checks c` → ['a', 'b', 'c']. */
export function collectList(value: string, previous: readonly string[] | undefined): string[] {
  const items = value.split(',').map((item) => item.trim()).filter(Boolean);
  if (items.length === 0) throw new InvalidArgumentError('expected a comma-separated list of check ids.');
  return [...(previous ?? []), ...items];
}

/** An http(s) URL; credentials in it are npm's business, but the value must at least be a URL. */
export function parseRegistryUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new InvalidArgumentError('expected an http(s) URL, e.g. https://npm.internal.example/.');
  }
  return value;
}
