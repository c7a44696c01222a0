/**
 * The shipped JSON Schema for pkgguard.config.json is generated from the zod schema and checked
 * in, so editors can use it from the package. This test keeps the two from drifting:
 *
 *   UPDATE_SCHEMAS=1 npx vitest run test/config/schema.test.ts   # regenerate the file
 *
 * Without UPDATE_SCHEMAS it fails when the committed file differs from what zod generates.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema } from '../../src/config/schema.ts';

const SCHEMA_FILE = new URL('../../src/schemas/config.schema.json', import.meta.url);

/**
 * Draft-07 rather than 2020-12: editors (VS Code, JetBrains) understand draft-07 tuples fully,
 * and ESLint-style ["high", { ...options }] settings are tuples. `io: 'input'` because the
 * schema describes what users write, before any defaults apply.
 */
function generateSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(configSchema, { target: 'draft-07', io: 'input' });
  const { $schema, ...rest } = generated;
  return {
    $schema,
    $id: 'https://raw.githubusercontent.com/pkgguard/pkgguard/main/src/schemas/config.schema.json',
    title: 'pkgguard configuration',
    ...rest,
  };
}

const generatedText = `${JSON.stringify(generateSchema(), null, 2)}\n`;

async function committedText(): Promise<string> {
  try {
    return await readFile(SCHEMA_FILE, 'utf8');
  } catch {
    return '(missing)';
  }
}

describe('src/schemas/config.schema.json', () => {
  it('is what the zod schema generates (UPDATE_SCHEMAS=1 regenerates it)', async () => {
    if (process.env['UPDATE_SCHEMAS'] === '1') await writeFile(SCHEMA_FILE, generatedText);

    expect(await committedText(), 'run: UPDATE_SCHEMAS=1 npx vitest run test/config/schema.test.ts').toBe(generatedText);
  });

  describe('agrees with zod on what a configuration may look like', () => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(generateSchema());
    const accepts = (config: unknown) => ({ jsonSchema: validate(config), zod: configSchema.safeParse(config).success });

    it.each([
      ['an empty configuration', {}],
      ['every field', {
        $schema: './node_modules/pkgguard/src/schemas/config.schema.json',
        failOn: 'none',
        checks: { integrity: 'critical', typosquat: ['high', { allow: ['lodahs'] }], 'install-scripts': ['off'] },
        ignore: [{ ruleId: 'integrity/weak', package: 'left-pad@1.3.0', reason: 'vendored', expires: '2026-12-31' }],
      }],
    ])('both accept %s', (_what, config) => {
      expect(accepts(config)).toEqual({ jsonSchema: true, zod: true });
    });

    it.each([
      ['an unknown top-level key', { failon: 'high' }],
      ['a bad failOn', { failOn: 'hihg' }],
      ['a bad severity', { checks: { integrity: 'hihg' } }],
      ['a tuple with a bad severity', { checks: { integrity: ['hihg', {}] } }],
      ['a tuple with options that are not an object', { checks: { integrity: ['high', 'strict'] } }],
      ['a tuple that is too long', { checks: { integrity: ['high', {}, {}] } }],
      ['an empty tuple', { checks: { integrity: [] } }],
      ['an unknown ignore key', { ignore: [{ ruleId: 'x', reason: 'r', expires: '2026-01-01', until: '2026-01-01' }] }],
      ['an ignore entry without a reason', { ignore: [{ ruleId: 'x', expires: '2026-01-01' }] }],
      ['an ignore entry without an expiry', { ignore: [{ ruleId: 'x', reason: 'r' }] }],
      ['a date in another format', { ignore: [{ ruleId: 'x', reason: 'r', expires: '31/12/2026' }] }],
      ['an empty ruleId', { ignore: [{ ruleId: '', reason: 'r', expires: '2026-01-01' }] }],
    ])('both reject %s', (_what, config) => {
      expect(accepts(config)).toEqual({ jsonSchema: false, zod: false });
    });

    // Refinements have no JSON Schema form; an editor lets these through and pkgguard rejects them.
    it.each([
      ['an impossible calendar date', { ignore: [{ ruleId: 'x', reason: 'r', expires: '2026-02-30' }] }],
      ['a blank reason', { ignore: [{ ruleId: 'x', reason: '  ', expires: '2026-01-01' }] }],
      ['an ignore entry with neither ruleId nor package', { ignore: [{ reason: 'r', expires: '2026-01-01' }] }],
    ])('only zod rejects %s', (_what, config) => {
      expect(accepts(config)).toEqual({ jsonSchema: true, zod: false });
    });
  });
});
