import integrity from '../../src/checks/integrity.ts';
import { testCheck } from '../helpers/check-tester.ts';
import { graphOf, registryTarball, sha1Of, sha512Of } from '../helpers/graph.ts';

/** Real values from the fixtures: isarray@1.0.0's registry sha512 and isarray@0.0.1's. */
const ISARRAY_1_0_0 = 'sha512-VLghIWNM6ELQzo7zwmcg0NmTVyWKYjvIeM83yjp0wRDTmUnrM678fQbcKBo6n2CJEF0szoG//ytg+TKla89ALQ==';
const ISARRAY_0_0_1 = 'sha512-D2S+3GLxWH+uhrNEcoh/fnmYeP8E8/zHl644d/jdA0g2uyXvy3sb0qxotE+ne0LtccHknQzWwZEzhak7oJ0COQ==';
const ISARRAY_SHA1 = 'sha1-u5NdSFgsuhaMBoNJV6VKPgcSTxE=';
const UTIL_DEPRECATE_SHA1 = 'sha1-RQ1Nyfpw3nMnYvvS1KKJgUGaDM8=';

const GOOD = sha512Of('good');
const OTHER = sha512Of('other');
const SHA1 = sha1Of('good');
const SHA1_OTHER = sha1Of('other');
/** sha256 of "x": 32 bytes, one padding character. */
const SHA256 = 'sha256-LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE=';

const MALFORMED_FIX = (name: string) => ({
  description: `Re-resolve ${name} so npm records the registry's integrity value`,
  command: `npm update ${name} --package-lock-only`,
});
const WEAK_FIX = (name: string) => ({
  description: `Re-resolve ${name} so npm records the registry's sha512 hash (a plain npm install keeps the sha1 value)`,
  command: `npm update ${name} --package-lock-only`,
});
const deleteEntry = (id: string, file = 'package-lock.json') =>
  `node -e "const fs=require('fs');const f='${file}';const l=JSON.parse(fs.readFileSync(f,'utf8'));delete l.packages['${id}'];fs.writeFileSync(f,JSON.stringify(l,null,2)+'\\n')" && npm install --package-lock-only`;
const MISSING_DESCRIPTION = (name: string) =>
  `Delete the entry and re-lock so npm fetches ${name} again with its integrity (npm keeps an entry without one as it is)`;

testCheck(integrity, {
  valid: [
    { name: 'sha512 on every registry package', graph: graphOf([{ name: 'a' }, { name: 'b', version: '2.0.0' }]) },
    { name: 'sha256 and sha384 count as strong', graph: graphOf([{ name: 'a', integrity: SHA256 }, { name: 'b', integrity: `sha384-${Buffer.alloc(48, 7).toString('base64')}` }]) },
    { name: 'sha1 next to sha512 is not weak', graph: graphOf([{ name: 'a', integrity: `${GOOD} ${SHA1}` }]) },
    { name: 'tokens separated by any whitespace, with SRI options', graph: graphOf([{ name: 'a', integrity: `\t${GOOD}?vendor-option\n${SHA1}  ` }]) },
    {
      name: 'git, directory, link, workspace and local tarball sources legitimately have no integrity',
      graph: graphOf([
        { name: 'g', integrity: undefined, resolved: 'git+ssh://git@git.example/team/g.git#0123abc', source: { type: 'git', url: 'git+ssh://git@git.example/team/g.git', committish: '0123abc' } },
        { name: 'd', integrity: undefined, resolved: 'file:vendor/d', source: { type: 'directory', path: 'vendor/d' } },
        { name: 'l', integrity: undefined, resolved: 'vendor/l', source: { type: 'link', path: 'vendor/l' } },
        { name: 'w', integrity: undefined, resolved: 'packages/w', source: { type: 'workspace', path: 'packages/w' } },
        { name: 't', integrity: undefined, resolved: 'file:vendor/t-1.0.0.tgz', source: { type: 'tarball', url: 'file:vendor/t-1.0.0.tgz' } },
      ]),
    },
    {
      name: 'a bundled package arrives inside its parent tarball',
      graph: graphOf([{ name: 'p' }, { id: 'node_modules/p/node_modules/b', name: 'b', integrity: undefined, resolved: undefined, flags: { bundled: true } }]),
    },
    {
      name: 'copies of one release with the same value',
      graph: graphOf([
        { name: 'x', integrity: GOOD },
        { id: 'node_modules/a/node_modules/x', name: 'x', integrity: GOOD },
        { id: 'node_modules/b/node_modules/x', name: 'x', integrity: `${SHA1} ${GOOD}` },
      ]),
    },
    {
      name: 'different versions of one package differ, as they should',
      graph: graphOf([{ name: 'x', integrity: GOOD }, { id: 'node_modules/a/node_modules/x', name: 'x', version: '2.0.0', integrity: OTHER }]),
    },
    {
      name: 'remote tarballs at different URLs are different packages, even with no version recorded',
      graph: graphOf([
        { name: 't', version: '', integrity: GOOD, resolved: 'https://cdn.example/t-a.tgz', source: { type: 'tarball', url: 'https://cdn.example/t-a.tgz' } },
        { id: 'node_modules/a/node_modules/t', name: 't', version: '', integrity: OTHER, resolved: 'https://cdn.example/t-b.tgz', source: { type: 'tarball', url: 'https://cdn.example/t-b.tgz' } },
      ]),
    },
    {
      name: 'a git copy of a release is not compared with the registry one',
      graph: graphOf([
        { name: 'x', integrity: GOOD },
        { id: 'node_modules/a/node_modules/x', name: 'x', integrity: OTHER, source: { type: 'git', url: 'git+ssh://git@git.example/x.git' } },
      ]),
    },
    { name: 'fixture: git, link, workspace and file: tarball dependencies', lockfile: 'npm/integrity-local-sources' },
    {
      name: 'an optional package old npm skipped for the platform: a bare { "optional": true } placeholder',
      graph: graphOf([{ name: '@next/swc-darwin-arm64', version: '', integrity: undefined, resolved: undefined, flags: { optional: true } }]),
    },
  ],
  invalid: [
    // missing
    {
      name: 'missing: registry packages with and without a resolved URL, and a remote tarball',
      graph: graphOf([
        { name: 'a', integrity: undefined },
        { name: 'b', integrity: undefined, resolved: undefined },
        { name: 'c', integrity: undefined, resolved: 'https://cdn.example/c-1.0.0.tgz', source: { type: 'tarball', url: 'https://cdn.example/c-1.0.0.tgz' } },
      ]),
      findings: [
        { ruleId: 'integrity/missing', package: 'a@1.0.0', line: 2, column: 5, severity: 'high', data: { source: 'registry' }, message: 'a@1.0.0 has no integrity hash, so a swapped tarball would install unnoticed' },
        { ruleId: 'integrity/missing', package: 'b@1.0.0', line: 3, column: 5, data: { source: 'registry' }, fix: { description: MISSING_DESCRIPTION('b'), command: deleteEntry('node_modules/b') } },
        { ruleId: 'integrity/missing', package: 'c@1.0.0', line: 4, column: 5, data: { source: 'tarball' } },
      ],
    },
    {
      name: 'missing: the fix runs where the lockfile is',
      graph: graphOf([{ name: '@scope/a', id: 'node_modules/x/node_modules/@scope/a', integrity: undefined }], { lockfile: { path: 'apps/web/npm-shrinkwrap.json' } }),
      findings: [
        {
          ruleId: 'integrity/missing', package: '@scope/a@1.0.0', line: 2, column: 5,
          fix: { description: MISSING_DESCRIPTION('@scope/a'), command: `cd apps/web && ${deleteEntry('node_modules/x/node_modules/@scope/a', 'npm-shrinkwrap.json')}` },
        },
      ],
    },
    {
      name: 'missing: a version 1 lockfile only needs npm to convert it',
      graph: graphOf([{ name: 'a', integrity: undefined }], { lockfile: { formatVersion: '1' } }),
      findings: [
        {
          ruleId: 'integrity/missing', package: 'a@1.0.0', line: 2, column: 5,
          fix: { description: 'Let npm convert the version 1 lockfile, which fetches the missing integrity from the registry', command: 'npm install --package-lock-only' },
        },
      ],
    },
    {
      name: 'missing: no npm command for another package manager',
      graph: graphOf([{ name: 'a', integrity: undefined }], { lockfile: { path: 'yarn.lock', format: 'yarn-classic', formatVersion: '1' } }),
      findings: [
        { ruleId: 'integrity/missing', package: 'a@1.0.0', line: 2, column: 5, fix: { description: 'Re-resolve a with your package manager so the lockfile records its integrity' } },
      ],
    },
    {
      name: 'missing: no command is built from a name a shell would interpret',
      graph: graphOf([{ name: "a';touch pwned;'", id: "node_modules/a';touch pwned;'", integrity: undefined }]),
      findings: [
        {
          ruleId: 'integrity/missing', package: "a';touch pwned;'@1.0.0", line: 2, column: 5,
          fix: { description: MISSING_DESCRIPTION("a';touch pwned;'") },
        },
      ],
    },
    {
      name: 'fixture missing: integrity removed, and resolved + integrity removed',
      lockfile: 'npm/integrity-missing',
      findings: [
        { ruleId: 'integrity/missing', package: 'string_decoder@1.1.1', line: 152, column: 5, data: { source: 'registry' } },
        {
          ruleId: 'integrity/missing', package: 'util-deprecate@1.0.2', line: 159, column: 5, data: { source: 'tarball' },
          fix: { description: MISSING_DESCRIPTION('util-deprecate'), command: deleteEntry('node_modules/util-deprecate') },
        },
      ],
    },
    // malformed
    {
      name: 'malformed: every kind of broken token, with the exact problem',
      graph: graphOf([
        { name: 'empty', integrity: '' },
        { name: 'blank', integrity: ' \t' },
        { name: 'stray', integrity: 'deadbeef' },
        { name: 'md5', integrity: 'md5-CYma5Vk4BrSx7Iup6MxkmQ==' },
        { name: 'upper', integrity: GOOD.replace('sha512', 'SHA512') },
        { name: 'badchar', integrity: GOOD.replace(/^sha512-../, 'sha512-a!') },
        { name: 'midpad', integrity: 'sha256-LXEWQrcmsEQB=nyp+6wy9chTD7GQPMTbAiWHF5IaSIE=' },
        { name: 'unpadded', integrity: GOOD.replace(/=+$/, '') },
        { name: 'stray-bits', integrity: SHA256.replace('SIE=', 'SIF=') },
        { name: 'short', integrity: `sha512-${Buffer.alloc(63, 1).toString('base64')}` },
        { name: 'sha256-as-512', integrity: SHA256.replace('sha256', 'sha512') },
        { name: 'no-digest', integrity: 'sha512-' },
        { name: 'option', integrity: `${GOOD}?caf\u00e9` },
      ]),
      findings: [
        { ruleId: 'integrity/malformed', package: 'empty@1.0.0', line: 2, column: 5, severity: 'high', data: { problem: 'empty', detail: 'the integrity value is empty', token: '' }, message: 'empty@1.0.0 has a malformed integrity value: the integrity value is empty', fix: { description: MISSING_DESCRIPTION('empty'), command: deleteEntry('node_modules/empty') } },
        { ruleId: 'integrity/malformed', package: 'blank@1.0.0', line: 3, column: 5, data: { problem: 'empty', detail: 'the integrity value is empty', token: ' \t' }, fix: MALFORMED_FIX('blank') },
        { ruleId: 'integrity/malformed', package: 'stray@1.0.0', line: 4, column: 5, data: { problem: 'stray-text', detail: '"deadbeef" is not an <algorithm>-<base64 digest> token', token: 'deadbeef' } },
        { ruleId: 'integrity/malformed', package: 'md5@1.0.0', line: 5, column: 5, data: { problem: 'unknown-algorithm', detail: 'unknown algorithm "md5" (expected sha512, sha384, sha256 or sha1)', token: 'md5-CYma5Vk4BrSx7Iup6MxkmQ==' } },
        { ruleId: 'integrity/malformed', package: 'upper@1.0.0', line: 6, column: 5, data: { problem: 'unknown-algorithm', detail: 'unknown algorithm "SHA512" (expected sha512, sha384, sha256 or sha1)', token: GOOD.replace('sha512', 'SHA512') } },
        { ruleId: 'integrity/malformed', package: 'badchar@1.0.0', line: 7, column: 5, data: { problem: 'bad-base64', detail: 'the sha512 digest is not valid base64: unexpected "!" at offset 1', token: GOOD.replace(/^sha512-../, 'sha512-a!') } },
        { ruleId: 'integrity/malformed', package: 'midpad@1.0.0', line: 8, column: 5, data: { problem: 'bad-base64', detail: 'the sha256 digest is not valid base64: unexpected "=" at offset 12', token: 'sha256-LXEWQrcmsEQB=nyp+6wy9chTD7GQPMTbAiWHF5IaSIE=' } },
        { ruleId: 'integrity/malformed', package: 'unpadded@1.0.0', line: 9, column: 5, data: { problem: 'bad-base64', detail: 'the sha512 digest is not valid base64: length 86 is not a multiple of 4 (missing or extra padding)', token: GOOD.replace(/=+$/, '') } },
        { ruleId: 'integrity/malformed', package: 'stray-bits@1.0.0', line: 10, column: 5, data: { problem: 'bad-base64', detail: 'the sha256 digest is not valid base64: not canonical (stray bits in the last character)', token: SHA256.replace('SIE=', 'SIF=') } },
        { ruleId: 'integrity/malformed', package: 'short@1.0.0', line: 11, column: 5, data: { problem: 'wrong-length', detail: 'the sha512 digest is 63 bytes, expected 64', token: `sha512-${Buffer.alloc(63, 1).toString('base64')}` } },
        { ruleId: 'integrity/malformed', package: 'sha256-as-512@1.0.0', line: 12, column: 5, data: { problem: 'wrong-length', detail: 'the sha512 digest is 32 bytes, expected 64', token: SHA256.replace('sha256', 'sha512') } },
        { ruleId: 'integrity/malformed', package: 'no-digest@1.0.0', line: 13, column: 5, data: { problem: 'wrong-length', detail: 'the sha512 digest is empty, expected 64 bytes', token: 'sha512-' } },
        { ruleId: 'integrity/malformed', package: 'option@1.0.0', line: 14, column: 5, data: { problem: 'bad-option', detail: 'the option "caf\u00e9" holds characters outside printable ASCII', token: `${GOOD}?caf\u00e9` } },
      ],
    },
    {
      name: 'malformed: each broken token of one value is its own finding; the good token still counts',
      graph: graphOf([{ name: 'a', integrity: `${GOOD} undefined md5-CYma5Vk4BrSx7Iup6MxkmQ==` }]),
      findings: [
        // Same position and rule: the engine orders these by fingerprint (the token discriminates).
        { ruleId: 'integrity/malformed', package: 'a@1.0.0', line: 2, column: 5, data: { problem: 'stray-text', detail: '"undefined" is not an <algorithm>-<base64 digest> token', token: 'undefined' } },
        { ruleId: 'integrity/malformed', package: 'a@1.0.0', line: 2, column: 5, data: { problem: 'unknown-algorithm', detail: 'unknown algorithm "md5" (expected sha512, sha384, sha256 or sha1)', token: 'md5-CYma5Vk4BrSx7Iup6MxkmQ==' } },
      ],
    },
    {
      name: 'malformed next to a lone sha1 token is also weak',
      graph: graphOf([{ name: 'a', integrity: `${SHA1} sha512-` }]),
      findings: [
        { ruleId: 'integrity/malformed', package: 'a@1.0.0', line: 2, column: 5, data: { problem: 'wrong-length', detail: 'the sha512 digest is empty, expected 64 bytes', token: 'sha512-' } },
        { ruleId: 'integrity/weak', package: 'a@1.0.0', line: 2, column: 5, data: { algorithm: 'sha1', integrity: `${SHA1} sha512-` } },
      ],
    },
    {
      name: 'malformed: a long stray token is shortened in the message, kept whole in the data',
      graph: graphOf([{ name: 'a', integrity: 'x'.repeat(150) }]),
      findings: [
        {
          ruleId: 'integrity/malformed', package: 'a@1.0.0', line: 2, column: 5,
          message: `a@1.0.0 has a malformed integrity value: "${'x'.repeat(100)}…" is not an <algorithm>-<base64 digest> token`,
          data: { problem: 'stray-text', detail: `"${'x'.repeat(100)}…" is not an <algorithm>-<base64 digest> token`, token: 'x'.repeat(150) },
        },
      ],
    },
    {
      name: 'fixture malformed: md5, base64url, truncated, empty, "undefined" appended, padding stripped',
      lockfile: 'npm/integrity-malformed',
      findings: [
        { ruleId: 'integrity/malformed', package: 'base64-js@1.5.1', line: 17, column: 5, data: { problem: 'unknown-algorithm', detail: 'unknown algorithm "md5" (expected sha512, sha384, sha256 or sha1)', token: 'md5-CYma5Vk4BrSx7Iup6MxkmQ==' }, fix: MALFORMED_FIX('base64-js') },
        { ruleId: 'integrity/malformed', package: 'buffer@4.9.2', line: 37, column: 5, data: { problem: 'bad-base64', detail: 'the sha512 digest is not valid base64: unexpected "-" at offset 2', token: 'sha512-xq-q3SRMOxGivLhBNaUdC64hDTQwejJ-H0T_NB1XMtTVEwNTrfFF3gAxiyW0Bu_xWEGhjVKgUcMhCrUy2-uCWg==' } },
        { ruleId: 'integrity/malformed', package: 'esutils@2.0.3', line: 78, column: 5, data: { problem: 'wrong-length', detail: 'the sha512 digest is 33 bytes, expected 64', token: 'sha512-kVscqXk4OCp68SZ0dkgEKVi6/8ij300KBWTJq32P/dYe' } },
        { ruleId: 'integrity/malformed', package: 'ieee754@1.2.1', line: 87, column: 5, data: { problem: 'empty', detail: 'the integrity value is empty', token: '' } },
        { ruleId: 'integrity/malformed', package: 'process-nextick-args@2.0.1', line: 119, column: 5, data: { problem: 'stray-text', detail: '"undefined" is not an <algorithm>-<base64 digest> token', token: 'undefined' } },
        { ruleId: 'integrity/malformed', package: 'safe-buffer@5.1.2', line: 146, column: 5, data: { problem: 'bad-base64', detail: 'the sha512 digest is not valid base64: length 86 is not a multiple of 4 (missing or extra padding)', token: 'sha512-Gd2UZBJDkXlY7GbJxfsE8/nvKkUEU1G38c1siN6QP6a9PT9MmHB8GnpscSmMJSoF8LOIrt8ud/wPtojys4G6+g' } },
      ],
    },
    // weak
    {
      name: 'weak: sha1 only, once or twice',
      graph: graphOf([{ name: 'a', integrity: SHA1 }, { name: 'b', integrity: `${SHA1} ${SHA1_OTHER}` }]),
      findings: [
        { ruleId: 'integrity/weak', package: 'a@1.0.0', line: 2, column: 5, severity: 'moderate', data: { algorithm: 'sha1', integrity: SHA1 }, message: 'a@1.0.0 is pinned only by sha1, which can be forged; expected sha512', fix: WEAK_FIX('a') },
        { ruleId: 'integrity/weak', package: 'b@1.0.0', line: 3, column: 5, data: { algorithm: 'sha1', integrity: `${SHA1} ${SHA1_OTHER}` } },
      ],
    },
    {
      name: 'weak: npm updates an aliased package by its alias',
      graph: graphOf([{ name: 'isarray', id: 'node_modules/old-isarray', alias: 'old-isarray', integrity: ISARRAY_SHA1 }]),
      findings: [
        {
          ruleId: 'integrity/weak', package: 'isarray@1.0.0', line: 2, column: 5,
          fix: { description: WEAK_FIX('isarray').description, command: 'npm update old-isarray --package-lock-only' },
        },
      ],
    },
    {
      name: 'weak: a yarn classic entry gets a description without an npm command',
      graph: graphOf([{ name: 'a', integrity: SHA1 }], { lockfile: { path: 'yarn.lock', format: 'yarn-classic', formatVersion: '1' } }),
      findings: [
        { ruleId: 'integrity/weak', package: 'a@1.0.0', line: 2, column: 5, fix: { description: 'Re-resolve a with your package manager so the lockfile records a sha512 hash' } },
      ],
    },
    {
      name: 'weak: a sha1-only copy and a sha512-only copy of one release are not comparable',
      graph: graphOf([{ name: 'x', integrity: SHA1 }, { id: 'node_modules/a/node_modules/x', name: 'x', integrity: OTHER }]),
      findings: [{ ruleId: 'integrity/weak', package: 'x@1.0.0', line: 2, column: 5 }],
    },
    {
      name: 'fixture sha1 (lockfile v1 from npm 6): three copies of isarray@1.0.0 and util-deprecate',
      lockfile: 'npm/integrity-sha1-v1',
      findings: [
        { ruleId: 'integrity/weak', package: 'isarray@1.0.0', id: 'node_modules/buffer/node_modules/isarray', line: 22, column: 9, data: { algorithm: 'sha1', integrity: ISARRAY_SHA1 }, fix: WEAK_FIX('isarray') },
        { ruleId: 'integrity/weak', package: 'isarray@1.0.0', id: 'node_modules/doctrine/node_modules/isarray', line: 43, column: 9 },
        { ruleId: 'integrity/weak', package: 'isarray@1.0.0', id: 'node_modules/readable-stream/node_modules/isarray', line: 89, column: 9 },
        { ruleId: 'integrity/weak', package: 'util-deprecate@1.0.2', line: 109, column: 5, data: { algorithm: 'sha1', integrity: UTIL_DEPRECATE_SHA1 } },
      ],
    },
    // mismatch
    {
      name: 'mismatch: two copies and no majority, so both are reported',
      graph: graphOf([{ name: 'x', integrity: GOOD }, { id: 'node_modules/a/node_modules/x', name: 'x', integrity: OTHER }]),
      findings: [
        {
          ruleId: 'integrity/mismatch', package: 'x@1.0.0', id: 'node_modules/x', line: 2, column: 5, severity: 'critical',
          data: { algorithm: 'sha512', actual: GOOD, expected: OTHER, otherId: 'node_modules/a/node_modules/x', otherLine: 3, basis: 'no-majority' },
          message: `x@1.0.0 has ${GOOD} here but ${OTHER} at node_modules/a/node_modules/x (line 3): one copy was edited`,
          fix: {
            description: "Find out which value the registry publishes for x@1.0.0 and how the other one got into the lockfile, then re-resolve it so every copy gets the registry's value",
            command: 'npm update x --package-lock-only',
          },
        },
        {
          ruleId: 'integrity/mismatch', package: 'x@1.0.0', id: 'node_modules/a/node_modules/x', line: 3, column: 5,
          data: { algorithm: 'sha512', actual: OTHER, expected: GOOD, otherId: 'node_modules/x', otherLine: 2, basis: 'no-majority' },
        },
      ],
    },
    {
      name: 'mismatch: only the copy that disagrees with the majority is reported',
      graph: graphOf([
        { name: 'x', integrity: GOOD },
        { id: 'node_modules/a/node_modules/x', name: 'x', integrity: OTHER },
        { id: 'node_modules/b/node_modules/x', name: 'x', integrity: GOOD },
      ]),
      findings: [
        {
          ruleId: 'integrity/mismatch', package: 'x@1.0.0', id: 'node_modules/a/node_modules/x', line: 3, column: 5,
          data: { algorithm: 'sha512', actual: OTHER, expected: GOOD, otherId: 'node_modules/x', otherLine: 2, basis: 'majority' },
        },
      ],
    },
    {
      name: 'mismatch: three different values, every copy compared with the first that differs',
      graph: graphOf([
        { name: 'x', integrity: GOOD },
        { id: 'node_modules/a/node_modules/x', name: 'x', integrity: OTHER },
        { id: 'node_modules/b/node_modules/x', name: 'x', integrity: sha512Of('third') },
        { id: 'node_modules/c/node_modules/x', name: 'x', integrity: GOOD },
      ]),
      findings: [
        { ruleId: 'integrity/mismatch', package: 'x@1.0.0', id: 'node_modules/x', line: 2, column: 5, data: { algorithm: 'sha512', actual: GOOD, expected: OTHER, otherId: 'node_modules/a/node_modules/x', otherLine: 3, basis: 'no-majority' } },
        { ruleId: 'integrity/mismatch', package: 'x@1.0.0', id: 'node_modules/a/node_modules/x', line: 3, column: 5, data: { algorithm: 'sha512', actual: OTHER, expected: GOOD, otherId: 'node_modules/x', otherLine: 2, basis: 'no-majority' } },
        { ruleId: 'integrity/mismatch', package: 'x@1.0.0', id: 'node_modules/b/node_modules/x', line: 4, column: 5, data: { algorithm: 'sha512', actual: sha512Of('third'), expected: GOOD, otherId: 'node_modules/x', otherLine: 2, basis: 'no-majority' } },
        { ruleId: 'integrity/mismatch', package: 'x@1.0.0', id: 'node_modules/c/node_modules/x', line: 5, column: 5, data: { algorithm: 'sha512', actual: GOOD, expected: OTHER, otherId: 'node_modules/a/node_modules/x', otherLine: 3, basis: 'no-majority' } },
      ],
    },
    {
      name: 'mismatch: compared per algorithm, so equal sha512 values with different sha1 values still differ',
      graph: graphOf([{ name: 'x', integrity: `${GOOD} ${SHA1}` }, { id: 'node_modules/a/node_modules/x', name: 'x', integrity: `${GOOD} ${SHA1_OTHER}` }]),
      findings: [
        { ruleId: 'integrity/mismatch', package: 'x@1.0.0', id: 'node_modules/x', line: 2, column: 5, data: { algorithm: 'sha1', actual: SHA1, expected: SHA1_OTHER, otherId: 'node_modules/a/node_modules/x', otherLine: 3, basis: 'no-majority' } },
        { ruleId: 'integrity/mismatch', package: 'x@1.0.0', id: 'node_modules/a/node_modules/x', line: 3, column: 5, data: { algorithm: 'sha1', actual: SHA1_OTHER, expected: SHA1, otherId: 'node_modules/x', otherLine: 2, basis: 'no-majority' } },
      ],
    },
    {
      name: 'mismatch: a copy that differs in two algorithms is reported once, for the strongest',
      graph: graphOf([
        { name: 'x', integrity: `${GOOD} ${SHA1}` },
        { id: 'node_modules/a/node_modules/x', name: 'x', integrity: `${OTHER} ${SHA1_OTHER}` },
        { id: 'node_modules/b/node_modules/x', name: 'x', integrity: `${GOOD} ${SHA1}` },
      ]),
      findings: [
        { ruleId: 'integrity/mismatch', package: 'x@1.0.0', id: 'node_modules/a/node_modules/x', line: 3, column: 5, data: { algorithm: 'sha512', actual: OTHER, expected: GOOD, otherId: 'node_modules/x', otherLine: 2, basis: 'majority' } },
      ],
    },
    {
      name: 'mismatch: a registry copy and a remote-tarball copy of one release',
      graph: graphOf([
        { name: 'x', integrity: GOOD },
        { id: 'node_modules/a/node_modules/x', name: 'x', integrity: OTHER, resolved: 'https://cdn.example/x-1.0.0.tgz', source: { type: 'tarball', url: 'https://cdn.example/x-1.0.0.tgz' } },
        { id: 'node_modules/b/node_modules/x', name: 'x', integrity: GOOD, resolved: registryTarball('x', '1.0.0') },
      ]),
      findings: [
        { ruleId: 'integrity/mismatch', package: 'x@1.0.0', id: 'node_modules/a/node_modules/x', line: 3, column: 5, data: { algorithm: 'sha512', actual: OTHER, expected: GOOD, otherId: 'node_modules/x', otherLine: 2, basis: 'majority' } },
      ],
    },
    {
      name: 'mismatch: copies of each release are compared among themselves when one name has several releases',
      graph: graphOf([
        { name: 'x', integrity: GOOD },
        { id: 'node_modules/a/node_modules/x', name: 'x', version: '2.0.0', integrity: OTHER },
        { id: 'node_modules/b/node_modules/x', name: 'x', version: '', integrity: GOOD, resolved: 'https://cdn.example/x.tgz', source: { type: 'tarball', url: 'https://cdn.example/x.tgz' } },
        { id: 'node_modules/c/node_modules/x', name: 'x', version: '2.0.0', integrity: GOOD },
        { id: 'node_modules/d/node_modules/x', name: 'x', version: '', integrity: OTHER, resolved: 'https://cdn.example/x.tgz', source: { type: 'tarball', url: 'https://cdn.example/x.tgz' } },
        { id: 'node_modules/e/node_modules/x', name: 'x', integrity: GOOD },
      ]),
      findings: [
        { ruleId: 'integrity/mismatch', package: 'x@2.0.0', id: 'node_modules/a/node_modules/x', line: 3, column: 5, data: { algorithm: 'sha512', actual: OTHER, expected: GOOD, otherId: 'node_modules/c/node_modules/x', otherLine: 5, basis: 'no-majority' } },
        { ruleId: 'integrity/mismatch', package: 'x@', id: 'node_modules/b/node_modules/x', line: 4, column: 5, data: { algorithm: 'sha512', actual: GOOD, expected: OTHER, otherId: 'node_modules/d/node_modules/x', otherLine: 6, basis: 'no-majority' } },
        { ruleId: 'integrity/mismatch', package: 'x@2.0.0', id: 'node_modules/c/node_modules/x', line: 5, column: 5, data: { algorithm: 'sha512', actual: GOOD, expected: OTHER, otherId: 'node_modules/a/node_modules/x', otherLine: 3, basis: 'no-majority' } },
        { ruleId: 'integrity/mismatch', package: 'x@', id: 'node_modules/d/node_modules/x', line: 6, column: 5, data: { algorithm: 'sha512', actual: OTHER, expected: GOOD, otherId: 'node_modules/b/node_modules/x', otherLine: 4, basis: 'no-majority' } },
      ],
    },
    {
      name: 'fixture mismatch: one of three copies of isarray@1.0.0 carries another tarball\'s sha512',
      lockfile: 'npm/integrity-mismatch',
      findings: [
        {
          ruleId: 'integrity/mismatch', package: 'isarray@1.0.0', id: 'node_modules/doctrine/node_modules/isarray', line: 72, column: 5, severity: 'critical',
          data: { algorithm: 'sha512', actual: ISARRAY_0_0_1, expected: ISARRAY_1_0_0, otherId: 'node_modules/buffer/node_modules/isarray', otherLine: 48, basis: 'majority' },
          message: `isarray@1.0.0 has ${ISARRAY_0_0_1} here but ${ISARRAY_1_0_0} at node_modules/buffer/node_modules/isarray (line 48): one copy was edited`,
        },
      ],
    },
  ],
});
