import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import sarif from '../../src/reporters/sarif.ts';
import { getReporter, isReporterId, REPORTER_IDS, REPORTERS } from '../../src/reporters/index.ts';

describe('reporter registry', () => {
  it('lists the formats sorted, each loading the reporter of its own id', async () => {
    expect(REPORTER_IDS).toEqual(['json', 'sarif', 'text']);
    for (const id of REPORTER_IDS) expect((await REPORTERS[id]()).id).toBe(id);
  });

  it('returns the reporter of a known id', async () => {
    expect(await getReporter('sarif')).toBe(sarif);
    expect(isReporterId('text')).toBe(true);
    expect(isReporterId('toString')).toBe(false);
  });

  it('rejects an unknown id with a usage error that names the formats and the likely one', async () => {
    const thrown: unknown = await getReporter('sarfi').catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(UsageError);
    expect(thrown).toMatchObject({
      code: 'EUSAGE',
      exitCode: 2,
      message: 'unknown format "sarfi": must be one of json, sarif, text',
      hints: ['did you mean "sarif"?'],
    });
  });
});
