// Regenerates the lockfiles of fixtures/projects/dependency-confusion/*: starts the "public" and
// "private" registries of registries.json on 127.0.0.1, runs the real npm in a scratch copy of
// each scenario with the .npmrc the scenario was installed with (which may differ from the one
// committed next to it: that difference is the scenario), and writes npm's package-lock.json
// back with the 127.0.0.1 addresses replaced by the fixtures' hosts. Usage:
//
//   node test/scripts/dependency-confusion-fixtures.js
//
// npm's cache and home are scratch directories too, so no user configuration applies.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PRIVATE_HOST_URL, PUBLIC_HOST_URL, packumentsFor, readCatalogue } from './dependency-confusion-registries.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/projects/dependency-confusion/', import.meta.url));

/** Scenario → the .npmrc npm ran with (`PUBLIC`/`PRIVATE` stand for the two registries). */
const INSTALLED_WITH = {
  clean: 'registry=PUBLIC\n@corp:registry=PRIVATE\n',
  'wrong-registry': 'registry=PUBLIC\n',
  'unmapped-scope': 'registry=PUBLIC\n@corp:registry=PRIVATE\n',
  'internal-names': 'registry=PRIVATE\n',
  workspaces: 'registry=PUBLIC\n',
};

function serve(packuments) {
  const server = createServer((request, response) => {
    const name = decodeURIComponent((request.url ?? '/').slice(1).split('?')[0] ?? '');
    const pair = packuments()[name];
    if (!pair) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
      return;
    }
    const abbreviated = (request.headers.accept ?? '').includes('application/vnd.npm.install-v1+json');
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(abbreviated ? pair.abbreviated : pair.full));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const catalogue = readCatalogue();
let publicPackuments = {};
let privatePackuments = {};
const publicServer = await serve(() => publicPackuments);
const privateServer = await serve(() => privatePackuments);
const publicUrl = `http://127.0.0.1:${publicServer.address().port}/`;
const privateUrl = `http://127.0.0.1:${privateServer.address().port}/`;
publicPackuments = packumentsFor(catalogue.public, publicUrl);
privatePackuments = packumentsFor(catalogue.private, privateUrl);

try {
  for (const [scenario, npmrc] of Object.entries(INSTALLED_WITH)) {
    const scratch = mkdtempSync(path.join(tmpdir(), 'pkgguard-confusion-'));
    const project = path.join(scratch, 'project');
    cpSync(path.join(FIXTURES, scenario), project, {
      recursive: true,
      filter: (source) => !['package-lock.json', '.npmrc', 'pkgguard.config.json'].includes(path.basename(source)),
    });
    writeFileSync(path.join(project, '.npmrc'), npmrc.replaceAll('PUBLIC', publicUrl).replaceAll('PRIVATE', privateUrl));
    // Asynchronously: the registries answer from this very process.
    await promisify(execFile)(
      'npm',
      ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--omit-lockfile-registry-resolved=false'],
      { cwd: project, env: { PATH: process.env.PATH, HOME: path.join(scratch, 'home'), npm_config_cache: path.join(scratch, 'cache') } },
    );
    const lockfile = readFileSync(path.join(project, 'package-lock.json'), 'utf8').replaceAll(publicUrl, PUBLIC_HOST_URL).replaceAll(privateUrl, PRIVATE_HOST_URL);
    writeFileSync(path.join(FIXTURES, scenario, 'package-lock.json'), lockfile);
    rmSync(scratch, { recursive: true, force: true });
    console.log(`${scenario}: package-lock.json written`);
  }
} finally {
  publicServer.close();
  privateServer.close();
}
