/**
 * npm-config-direct.ts must answer exactly as @npmcli/config does. Besides a few named cases,
 * it is compared with @npmcli/config itself (`reader: 'npm'`) on configurations generated from a
 * seeded random source: files in every layer (builtin, global, user, project, and the files
 * `userconfig`/`globalconfig`/`prefix` point to), `npm_config_*` variables in any case, `${VAR}`
 * references, CA files, lists, booleans written as text, global mode, sections, directory
 * layouts with package.json and node_modules at different heights, and `--registry`.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readNpmLayersDirect, replaceEnv } from '../../src/registry/npm-config-direct.ts';
import { npmDefaultRegistry } from '../../src/registry/npm-config.ts';
import type { RegistryConfig } from '../../src/registry/registry-config.ts';
import { type ConfigSandbox, createConfigSandbox } from './config-sandbox.ts';

let sandbox: ConfigSandbox;

beforeEach(async () => {
  sandbox = await createConfigSandbox();
});

afterEach(async () => {
  await sandbox.remove();
});

const CERTIFICATE = '-----BEGIN CERTIFICATE-----\\nMIIBdirect\\n-----END CERTIFICATE-----';

/** Loads with both readers; both must succeed with equal configurations (key order included) or fail alike. */
async function expectSameAsNpm(options: Parameters<ConfigSandbox['load']>[0] = {}): Promise<RegistryConfig | string> {
  const settle = (promise: Promise<RegistryConfig>): Promise<RegistryConfig | string> =>
    promise.then(
      (config) => config,
      (error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`,
    );
  const [direct, npm] = await Promise.all([settle(sandbox.load(options)), settle(sandbox.load({ ...options, reader: 'npm' }))]);
  expect(direct).toEqual(npm);
  if (typeof direct !== 'string' && typeof npm !== 'string') {
    expect(JSON.stringify(direct.fetchOptions)).toBe(JSON.stringify(npm.fetchOptions));
  }
  return direct;
}

describe("npm's default registry", () => {
  it("is npm-registry-fetch's, which is @npmcli/config's definition", async () => {
    const { default: definitions } = await import('@npmcli/config/lib/definitions/index.js');
    expect(await npmDefaultRegistry()).toBe(definitions.definitions['registry']?.default);
  });
});

describe('replaceEnv', () => {
  it('expands set variables, keeps unset ones, empties ${VAR?}, and honours backslash escapes', () => {
    const env = { A: 'x' };
    expect(replaceEnv('${A}/${B}/${B?}/${A?}', env)).toBe('x/${B}//x');
    expect(replaceEnv('\\${A} \\\\${A}', env)).toBe('${A} \\x');
  });
});

describe('the direct reader', () => {
  it('reads the common layout itself, and gives npm`s answer', async () => {
    await sandbox.write('home/.npmrc', `registry=https://user.example/\n//user.example/:_authToken=\${TOKEN}\nca="${CERTIFICATE}"\n`);
    await sandbox.write('work/project/.npmrc', '@corp:registry=https://corp.example/npm/\nstrict-ssl=false\nnoproxy=a.example,b.example\n');
    const env = { TOKEN: 'secret', npm_config_https_proxy: 'http://proxy.example:3128/' };
    expect(layersOf(env)).toBeDefined();
    const config = await expectSameAsNpm({ env });
    expect(config).toMatchObject({
      defaultRegistry: 'https://user.example/',
      scopes: { '@corp': 'https://corp.example/npm/' },
      fetchOptions: { strictSSL: false, noProxy: 'a.example,b.example', httpsProxy: 'http://proxy.example:3128/', '//user.example/:_authToken': 'secret' },
    });
  });

  it('leaves a project inside a workspace root to npm', async () => {
    await sandbox.write('work/package.json', JSON.stringify({ name: 'root', workspaces: ['project'] }));
    await sandbox.write('work/.npmrc', 'registry=https://workspace-root.example/\n');
    expect(layersOf({})).toBeUndefined();
    expect(await expectSameAsNpm()).toMatchObject({ defaultRegistry: 'https://workspace-root.example/' });
  });

  it('reads past a package.json above the project that declares no workspaces', async () => {
    await sandbox.write('work/package.json', JSON.stringify({ name: 'above' }));
    expect(layersOf({})).toBeDefined();
    await expectSameAsNpm();
  });

  it('leaves settings npm refuses to combine, and one file read as two layers, to npm', async () => {
    await sandbox.write('home/.npmrc', 'save-dev=true\nsave-prod=true\n');
    expect(layersOf({})).toBeUndefined();
    expect(await expectSameAsNpm()).toMatch(/^error: cannot load the npm configuration: /);
    const shared = await sandbox.write('shared.npmrc', 'registry=https://shared.example/\n');
    await sandbox.write('home/.npmrc', '');
    expect(layersOf({ npm_config_userconfig: shared, npm_config_globalconfig: shared })).toBeUndefined();
    expect(await expectSameAsNpm({ env: { npm_config_userconfig: shared, npm_config_globalconfig: shared } })).toMatch(/double-loading/);
  });

  it('lets globalconfig set in any layer replace the prefix-derived default, as npm does', async () => {
    const custom = await sandbox.write('custom/global.npmrc', 'registry=https://custom-global.example/\n');
    await sandbox.write('home/.npmrc', `globalconfig=${custom}\n`);
    expect(await expectSameAsNpm()).toMatchObject({ defaultRegistry: 'https://custom-global.example/' });
  });

  it('agrees with npm on generated configurations', async () => {
    const random = seeded(0x5eed);
    let direct = 0;
    const cases = 120;
    for (let round = 0; round < cases; round++) {
      await sandbox.remove();
      sandbox = await createConfigSandbox();
      const options = await generateCase(sandbox, random);
      if (layersOf(options.env ?? {}, options.projectDir, options.registry)) direct++;
      await expectSameAsNpm(options);
    }
    // The generator must mostly make layouts the direct reader takes, or the comparison is idle.
    expect(direct).toBeGreaterThan(cases * 0.6);
  });
});

function layersOf(env: Readonly<Record<string, string | undefined>>, projectDir = sandbox.project, registry?: string): unknown {
  const defined = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return readNpmLayersDirect({
    projectDir,
    env: { HOME: sandbox.home, ...defined },
    platform: 'linux',
    execPath: path.join(sandbox.prefix, 'bin', 'node'),
    npmPath: path.join(sandbox.root, 'npm'),
    registry,
    defaultRegistry: 'https://default.example/',
  });
}

type Random = () => number;

/** mulberry32: small, seeded, good enough to pick cases. */
function seeded(seed: number): Random {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T,>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const some = <T,>(random: Random, items: readonly T[], chance: number): T[] => items.filter(() => random() < chance);

async function generateCase(box: ConfigSandbox, random: Random): Promise<NonNullable<Parameters<ConfigSandbox['load']>[0]>> {
  const file = (name: string): string => path.join(box.root, name);
  await box.write('certs/two.pem', `${CERTIFICATE.replaceAll('\\n', '\n')}\r\n${CERTIFICATE.replaceAll('\\n', '\n')}\n`);
  await box.write('certs/empty.pem', '');
  const values: Record<string, readonly string[]> = {
    registry: ['https://a.example/', 'http://b.example:8080/npm', ' https://c.example/ ', '${REG}', '${REG?}', 'not a url', 'true', ''],
    '@corp:registry': ['https://corp.example/', '${REG}', 'ftp://corp.example/'],
    '@Other:registry': ['https://other.example/npm/'],
    '//a.example/:_authToken': ['${TOKEN}', 'abc', '${MISSING}'],
    '//b.example:8080/npm/:username': ['u'],
    '//b.example:8080/npm/:_password': ['cA=='],
    _authToken: ['loose'],
    username: ['loose'],
    ca: [`"${CERTIFICATE}"`, 'null', '', `"${CERTIFICATE}\\n\\n${CERTIFICATE}"`],
    'ca[]': [`"${CERTIFICATE}"`],
    cafile: [file('certs/two.pem'), file('certs/empty.pem'), file('certs/missing.pem'), '~/certs.pem'],
    cert: ['"-----BEGIN CERTIFICATE-----\\nx\\n-----END CERTIFICATE-----"', 'false'],
    key: ['"-----BEGIN PRIVATE KEY-----\\nk\\n-----END PRIVATE KEY-----"'],
    'strict-ssl': ['false', 'true', '', 'yes', '${STRICT}'],
    proxy: ['http://proxy.example:3128/', 'false', 'null'],
    'https-proxy': ['http://secure-proxy.example:3129/', '${PROXY}'],
    noproxy: ['a.example,b.example', '', 'localhost'],
    'noproxy[]': ['x.example'],
    'local-address': ['127.0.0.1', 'null'],
    cache: [file('npm-cache'), '~/other-cache', 'relative-cache'],
    userconfig: [file('alt/user.npmrc'), '~/alt.npmrc'],
    globalconfig: [file('alt/global.npmrc')],
    prefix: [file('alt-prefix')],
    global: ['true', 'false', 'yes'],
    location: ['global', 'project', 'user'],
    'save-dev': ['true'],
  };
  const keys = Object.keys(values);
  const npmrc = (): string => {
    const lines = some(random, keys, 0.15).map((key) => `${key}=${pick(random, values[key]!)}`);
    if (random() < 0.1) lines.push('[section]', 'registry=https://section.example/');
    if (random() < 0.2) lines.unshift('; a comment', '# another');
    return `${lines.join('\n')}\n`;
  };
  const layerFiles = ['npm/npmrc', 'prefix/etc/npmrc', 'home/.npmrc', 'alt/user.npmrc', 'alt/global.npmrc', 'alt-prefix/etc/npmrc', 'home/alt.npmrc'];
  for (const name of layerFiles) if (random() < 0.5) await box.write(name, npmrc());

  // Where the project sits: package.json (the sandbox's) or only node_modules, a subdirectory, a package.json above.
  let projectDir = box.project;
  const layout = pick(random, ['plain', 'subdir', 'node-modules', 'above', 'none']);
  if (layout === 'subdir') {
    projectDir = path.join(box.project, 'packages', 'app');
    await mkdir(projectDir, { recursive: true });
  } else if (layout === 'node-modules') {
    projectDir = path.join(box.root, 'work', 'installed', 'src');
    await mkdir(projectDir, { recursive: true });
    await mkdir(path.join(box.root, 'work', 'installed', 'node_modules'));
  } else if (layout === 'above') {
    await box.write('work/package.json', JSON.stringify({ name: 'above', private: true }));
  } else if (layout === 'none') {
    projectDir = path.join(box.root, 'loose', 'dir');
    await mkdir(projectDir, { recursive: true });
  }
  if (random() < 0.5) await box.write(path.relative(box.root, path.join(projectDir, '.npmrc')), npmrc());

  const env: Record<string, string> = {};
  const variables: Record<string, readonly string[]> = {
    npm_config_registry: ['https://env.example/', ''],
    NPM_CONFIG_REGISTRY: ['https://upper.example/'],
    'npm_config_@corp:registry': ['https://env-corp.example/'],
    'npm_config_//a.example/:_authToken': ['env-token'],
    npm_config_strict_ssl: ['false', 'true'],
    npm_config_userconfig: [file('alt/user.npmrc')],
    npm_config_globalconfig: [file('alt/global.npmrc')],
    npm_config_prefix: [file('alt-prefix')],
    npm_config_cache: [file('env-cache')],
    npm_config_global: ['true', 'yes'],
    npm_config__auth: ['dXNlcjpwYXNz'],
    npm_config_noproxy: ['env.example'],
    PREFIX: [file('alt-prefix')],
    DESTDIR: [file('dest')],
    TOKEN: ['from-env'],
    REG: ['https://reg-from-env.example/'],
    STRICT: ['false'],
    PROXY: ['http://env-proxy.example/'],
  };
  for (const name of some(random, Object.keys(variables), 0.15)) env[name] = pick(random, variables[name]!);
  const registry = random() < 0.15 ? pick(random, ['https://cli.example/', 'https://CLI.example:443/x']) : undefined;
  return { env, projectDir, registry, source: pick(random, ['npm', 'pnpm'] as const) };
}
