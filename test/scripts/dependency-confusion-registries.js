// The "public" and "private" registries of the dependency-confusion fixtures, as packuments
// built from fixtures/projects/dependency-confusion/registries.json. Plain JavaScript, so the
// fixture generator (dependency-confusion-fixtures.js) runs without a build; the tests import it
// through dependency-confusion-registries.d.ts.
//
// Packuments have the registry's documented shape (full and abbreviated). The tarballs are never
// served: `npm install --package-lock-only` reads only metadata, so `dist.integrity` is the
// sha512 of the text `<name>@<version>` (well-formed, not a real tarball hash).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CATALOGUE_FILE = fileURLToPath(new URL('../../fixtures/projects/dependency-confusion/registries.json', import.meta.url));

/** The fixtures' hosts for the two registries, written into committed files instead of 127.0.0.1 ports. */
export const PUBLIC_HOST_URL = 'https://registry.npm.example/';
export const PRIVATE_HOST_URL = 'https://npm.corp.example/';

export function readCatalogue() {
  return JSON.parse(readFileSync(CATALOGUE_FILE, 'utf8'));
}

/** name → { full, abbreviated } for every package of one registry, tarballs under `registryUrl`. */
export function packumentsFor(packages, registryUrl) {
  const result = {};
  for (const [name, entry] of Object.entries(packages)) {
    const versions = Object.keys(entry.versions);
    const latest = versions[versions.length - 1];
    const full = { versions: {}, abbreviated: {} };
    const time = { created: '2021-02-09T00:00:00.000Z', modified: '2021-02-10T00:00:00.000Z' };
    for (const version of versions) {
      const dependencies = entry.versions[version];
      const label = `${name}@${version}`;
      const dist = {
        integrity: `sha512-${createHash('sha512').update(label).digest('base64')}`,
        shasum: createHash('sha1').update(label).digest('hex'),
        tarball: `${registryUrl}${name}/-/${name.split('/').pop()}-${version}.tgz`,
      };
      full.versions[version] = { name, version, dependencies, dist, ...(entry.repository ? { repository: { type: 'git', url: entry.repository } } : {}) };
      full.abbreviated[version] = { name, version, dependencies, dist };
      time[version] = '2021-02-09T00:00:00.000Z';
    }
    result[name] = {
      full: {
        name,
        'dist-tags': { latest },
        versions: full.versions,
        time,
        ...(entry.repository ? { repository: { type: 'git', url: entry.repository } } : {}),
      },
      abbreviated: { name, 'dist-tags': { latest }, versions: full.abbreviated, modified: time.modified },
    };
  }
  return result;
}
