/**
 * The registry checks through the built CLI, against a signing registry on 127.0.0.1: what a
 * user sees (exit code, stdout, stderr) for a clean project, a tampered registry record, a
 * registry that breaks, and the warm cache that makes a second run ask nothing.
 */
import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeRegistry, readPackumentFixture, sendJson, startFakeRegistry } from '../registry/fake-registry.ts';
import { createSigningKey, editPackument, serveSigningRegistry, type SigningRegistryModel } from '../registry/signing-registry.ts';
import { assertBuilt, makeTempDir, parseReport, project, removeTempDir, runCli, STACK_LINE } from './helpers.ts';

const CHECKS = 'registry-integrity,signatures';
const IS_NUMBER_6 = 'sha512-Wu1VHeILBK8KAWJUAiSZQX94GmOE45Rg6/538fKwiloUu21KncEkYGPqob2oSZ5mUT73vLGrHQjKw3KMPwfDzg==';

beforeAll(assertBuilt);

let registry: FakeRegistry;
let temp: string;

function signedModel(): SigningRegistryModel {
  const key = createSigningKey('SHA256:e2e-test-key');
  return {
    keys: [key],
    packuments: {
      'is-number': editPackument(readPackumentFixture('is-number'), {}, key),
      '@isaacs/string-locale-compare': editPackument(readPackumentFixture('@isaacs/string-locale-compare'), {}, key),
    },
  };
}

beforeEach(async () => {
  registry = await startFakeRegistry();
  temp = await makeTempDir();
  await mkdir(path.join(temp, 'home'));
});

afterEach(async () => {
  await registry.close();
  await removeTempDir(temp);
});

/** The CLI with a throwaway home (no ~/.npmrc) and cache. */
function audit(...args: string[]) {
  return runCli(['audit', project('registry-demo'), '--checks', CHECKS, '--registry', registry.url, ...args], {
    env: { HOME: path.join(temp, 'home'), PKGGUARD_CACHE_DIR: path.join(temp, 'cache'), XDG_CACHE_HOME: undefined },
  });
}

describe('registry checks in the CLI', () => {
  it('passes a project whose registry records match and verify', async () => {
    registry.handle(serveSigningRegistry(signedModel()));
    const run = await audit('--format', 'json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const report = parseReport(run.stdout);
    expect(report.findings).toEqual([]);
    expect(report.incomplete).toEqual([]);
  });

  it('fails with both values when the registry serves another integrity', async () => {
    const model = signedModel();
    const key = model.keys?.[0];
    model.packuments['is-number'] = editPackument(readPackumentFixture('is-number'), { '7.0.0': { integrity: IS_NUMBER_6 } }, key);
    registry.handle(serveSigningRegistry(model));
    const run = await audit();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`is-number@7.0.0 is locked with sha512-41Cifkg6e8TylSpdtTpeLVMqvSBEVzTttHvERD741+pnZ8ANv0004MRL43QKPDlK9cGvNp6NZWZUBlbGXYxxng== but`);
    expect(run.stdout).toContain(`serves ${IS_NUMBER_6} for this version`);
    expect(run.stdout).toContain('package-lock.json:21');
  });

  it('exits 4 with one clear line when the registry sends malformed JSON', async () => {
    registry.handle((request, response) => {
      if (request.url === '/-/npm/v1/keys') return sendJson(response, 404, { error: 'Not found' });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"name": ');
    });
    const run = await audit();
    expect(run.code).toBe(4);
    expect(run.stderr + run.stdout).toMatch(/127\.0\.0\.1:\d+: invalid JSON in the response for (is-number|@isaacs\/string-locale-compare)/);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('exits 4 when the registry keeps answering 500 (Retry-After: 0 keeps it fast)', async () => {
    registry.handle((_request, response) => sendJson(response, 500, { error: 'Internal Server Error' }, { 'retry-after': '0' }));
    const run = await audit('--format', 'json');
    expect(run.code).toBe(4);
    const report = parseReport(run.stdout);
    expect(report.incomplete.map((entry) => entry.message)).toEqual([
      expect.stringMatching(/500 Internal Server Error for GET .* \(4 attempts\)$/),
      expect.stringMatching(/500 Internal Server Error for GET .* \(4 attempts\)$/),
    ]);
  });

  it('answers a second run, and an --offline run, from the cache without a request', async () => {
    registry.handle(serveSigningRegistry(signedModel()));
    expect((await audit()).code).toBe(0);
    registry.requests.length = 0;
    const warm = await audit('--format', 'json');
    expect(warm.code).toBe(0);
    const offline = await audit('--offline', '--format', 'json');
    expect(offline.code).toBe(0);
    expect(parseReport(offline.stdout).skipped).toEqual([]);
    expect(registry.requests).toEqual([]);
  });

  it('ignores an unreadable cafile offline, where no connection needs it; online the checks fail on it as npm does', async () => {
    registry.handle(serveSigningRegistry(signedModel()));
    expect((await audit()).code).toBe(0);
    registry.requests.length = 0;
    // A directory where the certificate bundle should be.
    const cafile = { npm_config_cafile: path.join(temp, 'home') };
    const env = { HOME: path.join(temp, 'home'), PKGGUARD_CACHE_DIR: path.join(temp, 'cache'), XDG_CACHE_HOME: undefined, ...cafile };
    const run = (...args: string[]) => runCli(['audit', project('registry-demo'), '--checks', CHECKS, '--registry', registry.url, '--format', 'json', ...args], { env });
    const offline = await run('--offline');
    expect(offline.stderr).toBe('');
    expect(offline.code).toBe(0);
    expect(parseReport(offline.stdout)).toMatchObject({ findings: [], incomplete: [], skipped: [], notes: [] });
    const online = await run();
    // Unchanged: an internal failure (exit 70), as before offline stopped reading the file.
    expect(online.code).toBe(70);
    expect(parseReport(online.stdout).incomplete).toEqual(
      ['registry-integrity', 'signatures'].map((checkId) => ({
        checkId,
        lockfile: 'package-lock.json',
        kind: 'crashed',
        code: 'ECHECKCRASH',
        message: `check "${checkId}" crashed on package-lock.json: EISDIR: illegal operation on a directory, read`,
      })),
    );
    expect(registry.requests).toEqual([]);
  });
});
