import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { collectList, collectOutput, FORMATS, parseFailOn, parseFormat } from '../../src/cli/options.ts';

/** The InvalidArgumentError `fn` throws (commander turns it into exit 2). */
function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as InvalidArgumentError).message;
  }
  throw new Error('expected an InvalidArgumentError');
}

describe('parseFormat', () => {
  it('accepts the report formats', () => {
    expect(FORMATS).toEqual(['text', 'json', 'sarif']);
    expect(FORMATS.map(parseFormat)).toEqual(['text', 'json', 'sarif']);
  });

  it('rejects anything else, suggesting the closest format', () => {
    expect(rejection(() => parseFormat('jsno'))).toBe('"jsno" is not a format; expected one of text, json, sarif (did you mean "json"?).');
    expect(rejection(() => parseFormat('SARIF'))).toBe('"SARIF" is not a format; expected one of text, json, sarif (did you mean "sarif"?).');
    expect(rejection(() => parseFormat('cyclonedx'))).toBe('"cyclonedx" is not a format; expected one of text, json, sarif.');
  });
});

describe('parseFailOn', () => {
  it('accepts the severities and none', () => {
    const values = ['info', 'low', 'moderate', 'high', 'critical', 'none'];

    expect(values.map(parseFailOn)).toEqual(values);
  });

  it('rejects anything else, suggesting the closest value', () => {
    expect(rejection(() => parseFailOn('hihg'))).toBe(
      '"hihg" is not a severity; expected one of info, low, moderate, high, critical, none (did you mean "high"?).',
    );
    expect(rejection(() => parseFailOn('medium'))).toBe(
      '"medium" is not a severity; expected one of info, low, moderate, high, critical, none.',
    );
    expect(rejection(() => parseFailOn(''))).toBe('"" is not a severity; expected one of info, low, moderate, high, critical, none.');
  });
});

describe('collectOutput', () => {
  it('parses FORMAT=FILE and accumulates repeated flags', () => {
    const first = collectOutput('sarif=pkgguard.sarif', []);

    expect(first).toEqual([{ format: 'sarif', file: 'pkgguard.sarif' }]);
    expect(collectOutput('json=out/report=1.json', first)).toEqual([
      { format: 'sarif', file: 'pkgguard.sarif' },
      { format: 'json', file: 'out/report=1.json' },
    ]);
  });

  it('does not change the previous list', () => {
    const previous = [{ format: 'text' as const, file: 'a.txt' }];
    collectOutput('json=b.json', previous);

    expect(previous).toEqual([{ format: 'text', file: 'a.txt' }]);
  });

  it.each(['sarif', '=pkgguard.sarif', 'sarif=', ''])('rejects %j without both parts', (value) => {
    expect(rejection(() => collectOutput(value, []))).toBe(`expected FORMAT=FILE (e.g. sarif=pkgguard.sarif), got "${value}".`);
  });

  it('rejects an unknown format with a suggestion', () => {
    expect(rejection(() => collectOutput('srif=x.sarif', []))).toBe(
      '"srif" is not a format; expected one of text, json, sarif (did you mean "sarif"?).',
    );
  });
});

describe('collectList', () => {
  it('splits on commas, trims, drops empty items and accumulates', () => {
    const first = collectList(' integrity, typosquat ,,', undefined);

    expect(first).toEqual(['integrity', 'typosquat']);
    expect(collectList('advisory', first)).toEqual(['integrity', 'typosquat', 'advisory']);
  });

  it.each(['', ',', ' , ,'])('rejects %j, which names no check', (value) => {
    expect(rejection(() => collectList(value, undefined))).toBe('expected a comma-separated list of check ids.');
  });
});
