import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FILENAME, EMPTY_CONFIG, loadConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/core/errors.ts';

let base: string;
let counter = 0;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'pkgguard-config-'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

/** A fresh project directory holding `files` (objects are written as JSON). */
async function project(files: Record<string, unknown> = {}): Promise<string> {
  const dir = path.join(base, `project-${++counter}`);
  await mkdir(dir);
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

/** Loads a project whose config is `config`, expecting a ConfigError (exit 2); returns what users see. */
async function configError(files: Record<string, unknown>, explicit?: string): Promise<{ message: string; hints: readonly string[] }> {
  const dir = await project(files);
  const error: unknown = await loadConfig(dir, explicit === undefined ? undefined : path.join(dir, explicit)).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConfigError);
  const { message, hints, exitCode, code } = error as ConfigError;
  expect({ exitCode, code }).toEqual({ exitCode: 2, code: 'ECONFIG' });
  return { message, hints };
}

const badConfig = (config: unknown) => configError({ [CONFIG_FILENAME]: config });
const JSON_HINT = 'the configuration file must be plain JSON (no comments, no trailing commas)';
const SEVERITY_CHOICES = 'expected one of info|low|moderate|high|critical|on|off, or ["<severity>|on", { ...options }]';

describe('loadConfig: where the configuration comes from', () => {
  it('is empty without a config file or package.json', async () => {
    expect(await loadConfig(await project())).toBe(EMPTY_CONFIG);
    expect(EMPTY_CONFIG).toEqual({ checks: {}, ignore: [], privacy: { privateScopes: [], internalPackages: [] }, settings: {} });
  });

  it('is empty when package.json has no "pkgguard" key, or is not JSON at all', async () => {
    expect(await loadConfig(await project({ 'package.json': { name: 'app', version: '1.0.0' } }))).toBe(EMPTY_CONFIG);
    expect(await loadConfig(await project({ 'package.json': '{ not json' }))).toBe(EMPTY_CONFIG);
    expect(await loadConfig(await project({ 'package.json': '["an", "array"]' }))).toBe(EMPTY_CONFIG);
  });

  it('reads pkgguard.config.json, normalising check settings', async () => {
    const dir = await project({
      [CONFIG_FILENAME]: {
        $schema: './node_modules/pkgguard/dist/schemas/config.schema.json',
        failOn: 'high',
        checks: {
          integrity: 'critical',
          'install-scripts': 'off',
          'lockfile-source': ['moderate'],
          typosquat: ['high', { allow: ['lodahs'] }],
        },
        ignore: [
          { ruleId: 'integrity/weak', reason: 'vendored, checked by hand', expires: '2026-12-31' },
          { package: 'left-pad@1.3.0', reason: 'pinned on purpose', expires: '2024-02-29' },
        ],
      },
    });

    expect(await loadConfig(dir)).toEqual({
      source: 'pkgguard.config.json',
      failOn: 'high',
      checks: {
        integrity: { severity: 'critical', options: undefined },
        'install-scripts': { severity: 'off', options: undefined },
        'lockfile-source': { severity: 'moderate', options: undefined },
        typosquat: { severity: 'high', options: { allow: ['lodahs'] } },
      },
      ignore: [
        { ruleId: 'integrity/weak', package: undefined, reason: 'vendored, checked by hand', expires: '2026-12-31' },
        { ruleId: undefined, package: 'left-pad@1.3.0', reason: 'pinned on purpose', expires: '2024-02-29' },
      ],
      privacy: { privateScopes: [], internalPackages: [] },
      settings: {},
    });
  });

  it('reads the privacy keys, adding the @ a scope was written without', async () => {
    const dir = await project({ [CONFIG_FILENAME]: { privateScopes: ['@corp', 'acme'], internalPackages: ['billing-core'] } });
    expect((await loadConfig(dir)).privacy).toEqual({ privateScopes: ['@corp', '@acme'], internalPackages: ['billing-core'] });
  });

  it('reads the "pkgguard" key of package.json', async () => {
    const dir = await project({ 'package.json': { name: 'app', pkgguard: { failOn: 'none' } } });

    expect(await loadConfig(dir)).toEqual({ source: 'package.json#pkgguard', failOn: 'none', checks: {}, ignore: [], privacy: { privateScopes: [], internalPackages: [] }, settings: {} });
  });

  it('prefers pkgguard.config.json to package.json, and an explicit --config file to both', async () => {
    const dir = await project({
      [CONFIG_FILENAME]: { failOn: 'moderate' },
      'package.json': { pkgguard: { failOn: 'critical' } },
      'ci.json': { failOn: 'info' },
    });
    const explicit = path.join(dir, 'ci.json');

    expect(await loadConfig(dir)).toMatchObject({ source: 'pkgguard.config.json', failOn: 'moderate' });
    expect(await loadConfig(dir, explicit)).toMatchObject({ source: 'ci.json', failOn: 'info' });
  });

  it('does not look further when the explicit file is valid but empty of settings', async () => {
    const dir = await project({ [CONFIG_FILENAME]: { failOn: 'moderate' }, 'empty.json': {} });

    expect(await loadConfig(dir, path.join(dir, 'empty.json'))).toEqual({
      source: 'empty.json',
      failOn: undefined,
      checks: {},
      ignore: [],
      privacy: { privateScopes: [], internalPackages: [] },
      settings: {},
    });
  });

  it('accepts a file that starts with a byte-order mark', async () => {
    const dir = await project({ [CONFIG_FILENAME]: '\uFEFF{ "failOn": "low" }' });

    expect(await loadConfig(dir)).toMatchObject({ failOn: 'low' });
  });

  it('fails on a missing explicit file, even when a default one exists', async () => {
    expect(await configError({ [CONFIG_FILENAME]: {} }, 'missing.json')).toEqual({
      message: 'config file not found: missing.json',
      hints: [],
    });
  });

  it('fails on an explicit path that cannot be read', async () => {
    const { message } = await configError({}, '.');

    expect(message).toBe(`cannot read ${path.join(base, `project-${counter}`)}: EISDIR: illegal operation on a directory, read`);
  });
});

describe('loadConfig: invalid JSON names the line and column', () => {
  it.each([
    ['a trailing comma', '{\n  "failOn": "high",\n}\n', '3:1', 'Expected double-quoted property name'],
    ['a leading comment', '// pkgguard settings\n{}\n', '1:1', "Unexpected token '/'"],
    ['a comment as a value', '{\n  "failOn": "high",\n  "checks": /* none yet */ {}\n}\n', '3:13', "Unexpected token '/'"],
    ['a missing comma', '{\n  "failOn": "high"\n  "checks": {}\n}\n', '3:3', "Expected ',' or '}' after property value"],
    ['single quotes', "{ 'failOn': 'high' }", '1:3', "Expected property name or '}'"],
    ['an empty file', '', '1:1', 'Unexpected end of JSON input'],
    ['a cut-off file', '{\n  "checks": {\n', '3:1', "Expected property name or '}'"],
  ])('%s', async (_what, text, where, reason) => {
    expect(await badConfig(text)).toEqual({
      message: `pkgguard.config.json:${where}: invalid JSON (${reason})`,
      hints: [JSON_HINT],
    });
  });

  it('keeps the message on one line however long the file is', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `  "key${i}": ${i},`).join('\n');
    const { message } = await badConfig(`{\n${keys}\n  "checks": /* later */ {}\n}\n`);

    expect(message).toBe("pkgguard.config.json:42:13: invalid JSON (Unexpected token '/')");
  });

  it('labels an explicit file by its path', async () => {
    const { message } = await configError({ 'custom.json': '{,}' }, 'custom.json');

    expect(message).toBe("custom.json:1:2: invalid JSON (Expected property name or '}')");
  });
});

describe('loadConfig: validation errors name the key', () => {
  it('suggests the right spelling of an unknown top-level key', async () => {
    expect(await badConfig({ failon: 'high' })).toEqual({
      message: 'pkgguard.config.json: failon: unknown key (did you mean "failOn"?)',
      hints: [],
    });
  });

  it('names an unknown top-level key that resembles nothing', async () => {
    expect(await badConfig({ plugins: [] })).toEqual({ message: 'pkgguard.config.json: plugins: unknown key', hints: [] });
  });

  it('suggests the right spelling of an unknown ignore key, and lists the other problems as hints', async () => {
    expect(await badConfig({ ignore: [{ ruleid: 'integrity', reason: 'r', expires: '2026-01-01' }] })).toEqual({
      message: 'pkgguard.config.json: ignore.0.ruleid: unknown key (did you mean "ruleId"?)',
      hints: ['ignore.0: an ignore entry needs "ruleId", "package" or both'],
    });
  });

  it.each([
    ['without a reason', { ruleId: 'integrity', expires: '2026-01-01' }, 'ignore.0.reason: a reason is required'],
    ['with a blank reason', { ruleId: 'integrity', reason: '   ', expires: '2026-01-01' }, 'ignore.0.reason: a reason is required'],
    [
      'with a reason that is not text',
      { ruleId: 'integrity', reason: 42, expires: '2026-01-01' },
      'ignore.0.reason: Invalid input: expected string, received number',
    ],
    ['without an expiry', { ruleId: 'integrity', reason: 'r' }, 'ignore.0.expires: an expiry date (YYYY-MM-DD) is required'],
    ['with an impossible date', { ruleId: 'integrity', reason: 'r', expires: '2026-13-40' }, 'ignore.0.expires: not a real calendar date'],
    ['with February 30th', { ruleId: 'integrity', reason: 'r', expires: '2026-02-30' }, 'ignore.0.expires: not a real calendar date'],
    ['with February 29th of a common year', { package: 'a', reason: 'r', expires: '2025-02-29' }, 'ignore.0.expires: not a real calendar date'],
    ['with a date in another format', { ruleId: 'integrity', reason: 'r', expires: '2026-6-1' }, 'ignore.0.expires: expected a date as YYYY-MM-DD'],
    ['with neither ruleId nor package', { reason: 'r', expires: '2026-01-01' }, 'ignore.0: an ignore entry needs "ruleId", "package" or both'],
  ])('rejects an ignore entry %s', async (_what, entry, expected) => {
    expect(await badConfig({ ignore: [entry] })).toEqual({ message: `pkgguard.config.json: ${expected}`, hints: [] });
  });

  it('rejects a misspelt severity, naming checks.<id>, the choices and a suggestion', async () => {
    expect(await badConfig({ checks: { integrity: 'hihg' } })).toEqual({
      message: `pkgguard.config.json: checks.integrity: ${SEVERITY_CHOICES}, got "hihg" (did you mean "high"?)`,
      hints: [],
    });
  });

  it('rejects a bad tuple form, showing what was given', async () => {
    expect(await badConfig({ checks: { typosquat: ['hihg', { allow: [] }] } })).toEqual({
      message: `pkgguard.config.json: checks.typosquat: ${SEVERITY_CHOICES}, got ["hihg",{"allow":[]}]`,
      hints: [],
    });
    expect(await badConfig({ checks: { typosquat: ['high', 'strict'] } })).toMatchObject({
      message: `pkgguard.config.json: checks.typosquat: ${SEVERITY_CHOICES}, got ["high","strict"]`,
    });
  });

  it('shortens a long value it shows', async () => {
    const { message } = await badConfig({ checks: { typosquat: ['high', { allow: ['a'.repeat(100)] }, 3] } });

    expect(message).toBe(`pkgguard.config.json: checks.typosquat: ${SEVERITY_CHOICES}, got ["high",{"allow":["${'a'.repeat(40)}…`);
  });

  it('rejects a bad failOn, listing the choices', async () => {
    expect(await badConfig({ failOn: 'hihg' })).toEqual({
      message: 'pkgguard.config.json: failOn: Invalid option: expected one of "info"|"low"|"moderate"|"high"|"critical"|"none"',
      hints: [],
    });
  });

  it('rejects a configuration that is not an object', async () => {
    expect(await badConfig('[]')).toEqual({
      message: 'pkgguard.config.json: (root): Invalid input: expected object, received array',
      hints: [],
    });
  });

  it('puts the first problem in the message and every other one in the hints', async () => {
    expect(await badConfig({ failOn: 'hihg', checks: { integrity: 'error' }, ignore: [{ ruleId: 'x', reason: 'r', expires: 'soon' }] })).toEqual({
      message: 'pkgguard.config.json: failOn: Invalid option: expected one of "info"|"low"|"moderate"|"high"|"critical"|"none"',
      hints: [`checks.integrity: ${SEVERITY_CHOICES}, got "error"`, 'ignore.0.expires: expected a date as YYYY-MM-DD'],
    });
  });

  it('labels problems in package.json by its "pkgguard" key', async () => {
    expect(await configError({ 'package.json': { name: 'app', pkgguard: { failon: 'low' } } })).toEqual({
      message: 'package.json#pkgguard: failon: unknown key (did you mean "failOn"?)',
      hints: [],
    });
  });
});
