import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AnyCheck, defineCheck } from '../../src/core/check.ts';
import { ConfigError, UsageError } from '../../src/core/errors.ts';
import { type CheckSettings, type SelectOptions, selectChecks } from '../../src/core/select.ts';

function makeCheck(id: string, extra: { requiresNetwork?: boolean; options?: z.ZodType } = {}): AnyCheck {
  return defineCheck({
    meta: {
      id,
      description: `The ${id} check`,
      rationale: 'For tests.',
      defaultSeverity: 'moderate',
      requiresNetwork: extra.requiresNetwork ?? false,
      docs: `https://example.test/#${id}`,
      tags: [],
      rules: { found: { description: 'Found', message: 'found' } },
      // Tests build specs from a schema: the defaults are what the schema makes of {}.
      options: extra.options && { defaults: extra.options.parse({}), schema: () => Promise.resolve(extra.options!) },
    },
    run() {},
  });
}

const typosquatOptions = z.strictObject({
  allow: z.array(z.string()).default([]),
  threshold: z.number().int().min(1).default(2),
});
const integrity = makeCheck('integrity');
const registry = makeCheck('registry-integrity', { requiresNetwork: true });
const typosquat = makeCheck('typosquat', { options: typosquatOptions });
const ALL = [integrity, registry, typosquat];

const select = (options: Partial<SelectOptions> = {}) => selectChecks(ALL, { offline: false, settings: {}, ...options });
const selectedIds = async (options: Partial<SelectOptions> = {}) => (await select(options)).selected.map((entry) => entry.check.meta.id);
const settings = (value: Record<string, CheckSettings>) => value;

/** Runs `fn`, expecting it to throw, and returns what it threw. */
async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('selectChecks', () => {
  it('selects every check in the given order, with default severity and options', async () => {
    expect(await select()).toEqual({
      selected: [
        { check: integrity, severity: undefined, options: undefined },
        { check: registry, severity: undefined, options: undefined },
        { check: typosquat, severity: undefined, options: { allow: [], threshold: 2 } },
      ],
      skipped: [],
    });
  });

  it('carries the configured severity', async () => {
    const { selected } = await select({ settings: settings({ integrity: { severity: 'critical' } }) });

    expect(selected.map((entry) => [entry.check.meta.id, entry.severity])).toEqual([
      ['integrity', 'critical'],
      ['registry-integrity', undefined],
      ['typosquat', undefined],
    ]);
  });

  it("leaves out a check configured 'off', without listing it as skipped", async () => {
    expect(await select({ settings: settings({ typosquat: { severity: 'off' } }) })).toEqual({
      selected: [
        { check: integrity, severity: undefined, options: undefined },
        { check: registry, severity: undefined, options: undefined },
      ],
      skipped: [],
    });
  });

  it('runs only the checks named by --checks', async () => {
    expect(await selectedIds({ only: ['typosquat', 'integrity'] })).toEqual(['integrity', 'typosquat']);
  });

  it("re-enables an 'off' check named by --checks, at its default severity", async () => {
    const { selected } = await select({ only: ['typosquat'], settings: settings({ typosquat: { severity: 'off' } }) });

    expect(selected).toEqual([{ check: typosquat, severity: undefined, options: { allow: [], threshold: 2 } }]);
  });

  it("enables a check configured 'on' with its rules' own severities, and its options", async () => {
    const { selected } = await select({ settings: settings({ typosquat: { severity: 'on', options: { allow: ['lodahs'] } } }) });
    expect(selected.find((entry) => entry.check === typosquat)).toEqual({ check: typosquat, severity: undefined, options: { allow: ['lodahs'], threshold: 2 } });
  });

  it('leaves out the checks named by --skip, also when --checks names them', async () => {
    expect(await selectedIds({ skip: ['integrity'] })).toEqual(['registry-integrity', 'typosquat']);
    expect(await selectedIds({ only: ['integrity', 'typosquat'], skip: ['integrity'] })).toEqual(['typosquat']);
  });

  describe('unknown check ids', () => {
    it('are a UsageError in --checks, with a did-you-mean hint', async () => {
      const error = await thrown(() => select({ only: ['integrety'] }));

      expect(error).toBeInstanceOf(UsageError);
      expect(error).toMatchObject({
        message: '--checks: unknown check "integrety"',
        code: 'EUSAGE',
        exitCode: 2,
        hints: ['did you mean "integrity"?', 'list them with: pkgguard rules'],
      });
    });

    it('are a UsageError in --skip, listing the known checks when nothing is close', async () => {
      const error = await thrown(() => select({ skip: ['licence-audit'] }));

      expect(error).toBeInstanceOf(UsageError);
      expect(error).toMatchObject({
        message: '--skip: unknown check "licence-audit"',
        hints: ['known checks: integrity, registry-integrity, typosquat', 'list them with: pkgguard rules'],
      });
    });

    it('are a ConfigError in the configuration, with a did-you-mean hint', async () => {
      const error = await thrown(() => select({ settings: settings({ typosqat: { severity: 'high' } }) }));

      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({
        message: 'checks.typosqat: unknown check "typosqat"',
        code: 'ECONFIG',
        exitCode: 2,
        hints: ['did you mean "typosquat"?', 'list them with: pkgguard rules'],
      });
    });
  });

  describe('--offline', () => {
    it('moves checks that need the network to skipped, with the reason', async () => {
      expect(await select({ offline: true })).toEqual({
        selected: [
          { check: integrity, severity: undefined, options: undefined },
          { check: typosquat, severity: undefined, options: { allow: [], threshold: 2 } },
        ],
        skipped: [{ checkId: 'registry-integrity', reason: 'needs the network; skipped by --offline' }],
      });
    });

    it('does not list a network check that is off or --skip-ped anyway', async () => {
      expect((await select({ offline: true, settings: settings({ 'registry-integrity': { severity: 'off' } }) })).skipped).toEqual([]);
      expect((await select({ offline: true, skip: ['registry-integrity'] })).skipped).toEqual([]);
      expect((await select({ offline: true, only: ['integrity'] })).skipped).toEqual([]);
    });

    it('keeps network checks when online', async () => {
      expect(await selectedIds({ offline: false, only: ['registry-integrity'] })).toEqual(['registry-integrity']);
    });
  });

  describe('options', () => {
    it('are validated and defaulted by the check’s zod schema', async () => {
      const { selected } = await select({ only: ['typosquat'], settings: settings({ typosquat: { severity: 'high', options: { allow: ['lodahs'] } } }) });

      expect(selected).toEqual([{ check: typosquat, severity: 'high', options: { allow: ['lodahs'], threshold: 2 } }]);
    });

    it('name the bad key as checks.<id>.<key>, with further problems as hints', async () => {
      const error = await thrown(() => select({ settings: settings({ typosquat: { options: { allow: 'lodash', threshold: 0 } } }) }));

      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({
        message: 'checks.typosquat.allow: Invalid input: expected array, received string',
        hints: ['checks.typosquat.threshold: Too small: expected number to be >=1'],
      });
    });

    it('name nested keys with their array index', async () => {
      const error = await thrown(() => select({ settings: settings({ typosquat: { options: { allow: ['ok', 7] } } }) }));

      expect(error).toMatchObject({ message: 'checks.typosquat.allow.1: Invalid input: expected string, received number', hints: [] });
    });

    it('reject unknown keys', async () => {
      const error = await thrown(() => select({ settings: settings({ typosquat: { options: { alow: [] } } }) }));

      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ message: 'checks.typosquat: Unrecognized key: "alow"' });
    });

    it('are a ConfigError on a check that takes none; an empty object is fine', async () => {
      const error = await thrown(() => select({ settings: settings({ integrity: { severity: 'high', options: { strict: true } } }) }));

      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ message: 'checks.integrity: this check takes no options', exitCode: 2 });
      expect((await select({ settings: settings({ integrity: { severity: 'high', options: {} } }) })).selected[0]).toEqual({
        check: integrity,
        severity: 'high',
        options: undefined,
      });
    });

    it('are validated even when --offline, --checks or --skip leave the check out', async () => {
      const networkWithOptions = makeCheck('advisory', { requiresNetwork: true, options: typosquatOptions });
      const bad = { advisory: { options: { threshold: 0 } } };
      const run = (options: Partial<SelectOptions>) => () =>
        selectChecks([integrity, networkWithOptions], { offline: false, settings: bad, ...options });

      for (const flags of [{}, { offline: true }, { only: ['integrity'] }, { skip: ['advisory'] }]) {
        expect(await thrown(run(flags))).toMatchObject({ message: 'checks.advisory.threshold: Too small: expected number to be >=1' });
      }
    });

    it("are not validated for a check that is 'off'", async () => {
      const { selected } = await select({ settings: settings({ typosquat: { severity: 'off', options: { threshold: 0 } } }) });

      expect(selected.map((entry) => entry.check.meta.id)).toEqual(['integrity', 'registry-integrity']);
    });
  });
});
