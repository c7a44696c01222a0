/**
 * The pnpm parser on lockfiles written by pnpm 7 (lockfile 5.4), 8 (6.0), 9 and 10 (9.0) and
 * 11 (9.0 with an environment document), one scenario each (fixtures/README.md, "## pnpm
 * fixtures"), plus hand-written texts for the forms no manager here can write, and every
 * error path. Summaries are one line per node: id, name@version (alias), line:column, flags,
 * source, `sri` when it has an integrity, then its edges (graph-summary.ts); the lines and
 * columns were checked against the files by hand.
 */
import { describe, expect, it } from 'vitest';
import { LockfileParseError, UnsupportedLockfileError } from '../../src/core/errors.ts';
import type { DependencyGraph } from '../../src/core/graph.ts';
import { parserFor } from '../../src/lockfiles/index.ts';
import { LOCKFILE_PARSERS } from '../../src/lockfiles/parsers.ts';
import pnpm from '../../src/lockfiles/pnpm.ts';
import { summaryOf as summaryLines } from './graph-summary.ts';
import { fixture, inline, parseError, parseFixture } from './pnpm-fixtures.ts';

const summaryOf = (graph: DependencyGraph): string[] => summaryLines(graph, { sri: true });

const NO_FLAGS = { dev: false, optional: false, devOptional: false, peer: false, bundled: false };
const HINT = 'regenerate it with: pnpm install --lockfile-only';

/** Every node of every fixture, hand-checked against the lockfile. */
const SUMMARIES: Readonly<Record<string, readonly string[]>> = {
  'basic/pnpm9': [
    '. pnpm9@ 9:3 [] directory . => debug(prod 2.6.9)->debug@2.6.9, once(prod ^1.4.0)->once@1.4.0, ms(dev 2.1.3)->ms@2.1.3',
    'debug@2.6.9 debug@2.6.9 24:3 [] registry sri => ms(prod 2.0.0)->ms@2.0.0, supports-color(peerOptional *)->-',
    'ms@2.0.0 ms@2.0.0 32:3 [] registry sri',
    'ms@2.1.3 ms@2.1.3 35:3 [dev] registry sri',
    'once@1.4.0 once@1.4.0 38:3 [] registry sri => wrappy(prod 1.0.2)->wrappy@1.0.2',
    'wrappy@1.0.2 wrappy@1.0.2 41:3 [] registry sri',
  ],
  'basic/pnpm8': [
    '. pnpm8@ 7:1 [] directory . => debug(prod 2.6.9)->/debug@2.6.9, once(prod ^1.4.0)->/once@1.4.0, ms(dev 2.1.3)->/ms@2.1.3',
    '/debug@2.6.9 debug@2.6.9 22:3 [] registry sri => ms(prod 2.0.0)->/ms@2.0.0, supports-color(peerOptional *)->-',
    '/ms@2.0.0 ms@2.0.0 33:3 [] registry sri',
    '/ms@2.1.3 ms@2.1.3 37:3 [dev] registry sri',
    '/once@1.4.0 once@1.4.0 41:3 [] registry sri => wrappy(prod 1.0.2)->/wrappy@1.0.2',
    '/wrappy@1.0.2 wrappy@1.0.2 47:3 [] registry sri',
  ],
  'basic/pnpm7': [
    '. pnpm7@ 3:1 [] directory . => debug(prod 2.6.9)->/debug/2.6.9, once(prod ^1.4.0)->/once/1.4.0, ms(dev 2.1.3)->/ms/2.1.3',
    '/debug/2.6.9 debug@2.6.9 17:3 [] registry sri => ms(prod 2.0.0)->/ms/2.0.0, supports-color(peerOptional *)->-',
    '/ms/2.0.0 ms@2.0.0 28:3 [] registry sri',
    '/ms/2.1.3 ms@2.1.3 32:3 [dev] registry sri',
    '/once/1.4.0 once@1.4.0 36:3 [] registry sri => wrappy(prod 1.0.2)->/wrappy/1.0.2',
    '/wrappy/1.0.2 wrappy@1.0.2 42:3 [] registry sri',
  ],
  'workspaces/pnpm9': [
    '. pnpm9@ 9:3 [] directory . => ms(dev 2.1.3)->ms@2.1.3',
    'packages/a a@ 15:3 [] workspace packages/a => @fixture/b(prod workspace:*)->packages/b, once(prod ^1.4.0)->once@1.4.0',
    'packages/b @fixture/b@ 24:3 [] workspace packages/b => debug(prod 2.6.9)->debug@2.6.9, wrappy(dev 1.0.2)->wrappy@1.0.2',
    'debug@2.6.9 debug@2.6.9 36:3 [] registry sri => ms(prod 2.0.0)->ms@2.0.0, supports-color(peerOptional *)->-',
    'ms@2.0.0 ms@2.0.0 44:3 [] registry sri',
    'ms@2.1.3 ms@2.1.3 47:3 [dev] registry sri',
    'once@1.4.0 once@1.4.0 50:3 [] registry sri => wrappy(prod 1.0.2)->wrappy@1.0.2',
    'wrappy@1.0.2 wrappy@1.0.2 53:3 [] registry sri',
  ],
  'workspaces/pnpm8': [
    '. pnpm8@ 9:3 [] directory . => ms(dev 2.1.3)->/ms@2.1.3',
    'packages/a a@ 15:3 [] workspace packages/a => @fixture/b(prod workspace:*)->packages/b, once(prod ^1.4.0)->/once@1.4.0',
    'packages/b @fixture/b@ 24:3 [] workspace packages/b => debug(prod 2.6.9)->/debug@2.6.9, wrappy(dev 1.0.2)->/wrappy@1.0.2',
    '/debug@2.6.9 debug@2.6.9 36:3 [] registry sri => ms(prod 2.0.0)->/ms@2.0.0, supports-color(peerOptional *)->-',
    '/ms@2.0.0 ms@2.0.0 47:3 [] registry sri',
    '/ms@2.1.3 ms@2.1.3 51:3 [dev] registry sri',
    '/once@1.4.0 once@1.4.0 55:3 [] registry sri => wrappy(prod 1.0.2)->/wrappy@1.0.2',
    '/wrappy@1.0.2 wrappy@1.0.2 61:3 [] registry sri',
  ],
  'workspaces/pnpm7': [
    '. pnpm7@ 5:3 [] directory . => ms(dev 2.1.3)->/ms/2.1.3',
    'packages/a a@ 11:3 [] workspace packages/a => @fixture/b(prod workspace:*)->packages/b, once(prod ^1.4.0)->/once/1.4.0',
    'packages/b @fixture/b@ 19:3 [] workspace packages/b => debug(prod 2.6.9)->/debug/2.6.9, wrappy(dev 1.0.2)->/wrappy/1.0.2',
    '/debug/2.6.9 debug@2.6.9 30:3 [] registry sri => ms(prod 2.0.0)->/ms/2.0.0, supports-color(peerOptional *)->-',
    '/ms/2.0.0 ms@2.0.0 41:3 [] registry sri',
    '/ms/2.1.3 ms@2.1.3 45:3 [dev] registry sri',
    '/once/1.4.0 once@1.4.0 49:3 [] registry sri => wrappy(prod 1.0.2)->/wrappy/1.0.2',
    '/wrappy/1.0.2 wrappy@1.0.2 55:3 [] registry sri',
  ],
  'catalogs/pnpm9': [
    '. pnpm9@ 19:3 [] directory . => once(prod catalog:)->once@1.4.0',
    'packages/a a@ 25:3 [] workspace packages/a => ms(prod catalog:legacy)->ms@2.0.0, once(prod catalog:)->once@1.4.0',
    'ms@2.0.0 ms@2.0.0 36:3 [] registry sri',
    'once@1.4.0 once@1.4.0 39:3 [] registry sri => wrappy(prod 1.0.2)->wrappy@1.0.2',
    'wrappy@1.0.2 wrappy@1.0.2 42:3 [] registry sri',
  ],
  'alias/pnpm9': [
    '. pnpm9@ 9:3 [] directory . => str(prod npm:string-width@4.2.3)->string-width@4.2.3',
    'ansi-regex@5.0.1 ansi-regex@5.0.1 17:3 [] registry sri',
    'emoji-regex@8.0.0 emoji-regex@8.0.0 21:3 [] registry sri',
    'is-fullwidth-code-point@3.0.0 is-fullwidth-code-point@3.0.0 24:3 [] registry sri',
    'string-width@4.2.3 string-width@4.2.3 as str 28:3 [] registry sri => emoji-regex(prod 8.0.0)->emoji-regex@8.0.0, is-fullwidth-code-point(prod 3.0.0)->is-fullwidth-code-point@3.0.0, strip-ansi(prod 6.0.1)->strip-ansi@6.0.1',
    'strip-ansi@6.0.1 strip-ansi@6.0.1 32:3 [] registry sri => ansi-regex(prod 5.0.1)->ansi-regex@5.0.1',
  ],
  'alias/pnpm8': [
    '. pnpm8@ 7:1 [] directory . => str(prod npm:string-width@4.2.3)->/string-width@4.2.3',
    '/ansi-regex@5.0.1 ansi-regex@5.0.1 14:3 [] registry sri',
    '/emoji-regex@8.0.0 emoji-regex@8.0.0 19:3 [] registry sri',
    '/is-fullwidth-code-point@3.0.0 is-fullwidth-code-point@3.0.0 23:3 [] registry sri',
    '/string-width@4.2.3 string-width@4.2.3 as str 28:3 [] registry sri => emoji-regex(prod 8.0.0)->/emoji-regex@8.0.0, is-fullwidth-code-point(prod 3.0.0)->/is-fullwidth-code-point@3.0.0, strip-ansi(prod 6.0.1)->/strip-ansi@6.0.1',
    '/strip-ansi@6.0.1 strip-ansi@6.0.1 37:3 [] registry sri => ansi-regex(prod 5.0.1)->/ansi-regex@5.0.1',
  ],
  'alias/pnpm7': [
    '. pnpm7@ 3:1 [] directory . => str(prod npm:string-width@4.2.3)->/string-width/4.2.3',
    '/ansi-regex/5.0.1 ansi-regex@5.0.1 11:3 [] registry sri',
    '/emoji-regex/8.0.0 emoji-regex@8.0.0 16:3 [] registry sri',
    '/is-fullwidth-code-point/3.0.0 is-fullwidth-code-point@3.0.0 20:3 [] registry sri',
    '/string-width/4.2.3 string-width@4.2.3 as str 25:3 [] registry sri => emoji-regex(prod 8.0.0)->/emoji-regex/8.0.0, is-fullwidth-code-point(prod 3.0.0)->/is-fullwidth-code-point/3.0.0, strip-ansi(prod 6.0.1)->/strip-ansi/6.0.1',
    '/strip-ansi/6.0.1 strip-ansi@6.0.1 34:3 [] registry sri => ansi-regex(prod 5.0.1)->/ansi-regex/5.0.1',
  ],
  'git/pnpm9': [
    '. pnpm9@ 9:3 [] directory . => git-dep(prod git+https://git.example/team/git-dep.git#v1.0.0)->git-dep@git+https://git.example/team/git-dep.git#a5eb58ff9d280d19c47a6f0156541f45dd8893b3',
    'git-dep@git+https://git.example/team/git-dep.git#a5eb58ff9d280d19c47a6f0156541f45dd8893b3 git-dep@1.0.0 17:3 [] git https://git.example/team/git-dep.git#a5eb58ff9d280d19c47a6f0156541f45dd8893b3 => ms(prod 2.1.3)->ms@2.1.3',
    'ms@2.1.3 ms@2.1.3 21:3 [] registry sri',
  ],
  'git/pnpm8': [
    '. pnpm8@ 7:1 [] directory . => git-dep(prod git+https://git.example/team/git-dep.git#v1.0.0)->git.example/team/git-dep/a5eb58ff9d280d19c47a6f0156541f45dd8893b3',
    '/ms@2.1.3 ms@2.1.3 14:3 [] registry sri',
    'git.example/team/git-dep/a5eb58ff9d280d19c47a6f0156541f45dd8893b3 git-dep@1.0.0 18:3 [] git https://git.example/team/git-dep.git#a5eb58ff9d280d19c47a6f0156541f45dd8893b3 => ms(prod 2.1.3)->/ms@2.1.3',
  ],
  'git/pnpm7': [
    '. pnpm7@ 3:1 [] directory . => git-dep(prod git+https://git.example/team/git-dep.git#v1.0.0)->git.example/team/git-dep/a5eb58ff9d280d19c47a6f0156541f45dd8893b3',
    '/ms/2.1.3 ms@2.1.3 11:3 [] registry sri',
    'git.example/team/git-dep/a5eb58ff9d280d19c47a6f0156541f45dd8893b3 git-dep@1.0.0 15:3 [] git https://git.example/team/git-dep.git#a5eb58ff9d280d19c47a6f0156541f45dd8893b3 => ms(prod 2.1.3)->/ms/2.1.3',
  ],
  'tarball/pnpm9': [
    '. pnpm9@ 9:3 [] directory . => local-tgz(prod file:vendor/local-tgz-1.0.0.tgz)->local-tgz@file:vendor/local-tgz-1.0.0.tgz, remote-ms(prod https://tarballs.example/ms-2.1.3.tgz)->ms@https://tarballs.example/ms-2.1.3.tgz',
    'local-tgz@file:vendor/local-tgz-1.0.0.tgz local-tgz@1.0.0 20:3 [] tarball file:vendor/local-tgz-1.0.0.tgz sri => wrappy(prod 1.0.2)->wrappy@1.0.2',
    'ms@https://tarballs.example/ms-2.1.3.tgz ms@2.1.3 as remote-ms 24:3 [] tarball https://tarballs.example/ms-2.1.3.tgz',
    'wrappy@1.0.2 wrappy@1.0.2 28:3 [] registry sri',
  ],
  'tarball/pnpm8': [
    '. pnpm8@ 7:1 [] directory . => local-tgz(prod file:vendor/local-tgz-1.0.0.tgz)->file:vendor/local-tgz-1.0.0.tgz, remote-ms(prod https://tarballs.example/ms-2.1.3.tgz)->@tarballs.example/ms-2.1.3.tgz',
    '/wrappy@1.0.2 wrappy@1.0.2 17:3 [] registry sri',
    '@tarballs.example/ms-2.1.3.tgz ms@2.1.3 as remote-ms 21:3 [] tarball https://tarballs.example/ms-2.1.3.tgz',
    'file:vendor/local-tgz-1.0.0.tgz local-tgz@1.0.0 27:3 [] tarball file:vendor/local-tgz-1.0.0.tgz sri => wrappy(prod 1.0.2)->/wrappy@1.0.2',
  ],
  'tarball/pnpm7': [
    '. pnpm7@ 3:1 [] directory . => local-tgz(prod file:vendor/local-tgz-1.0.0.tgz)->file:vendor/local-tgz-1.0.0.tgz, remote-ms(prod https://tarballs.example/ms-2.1.3.tgz)->@tarballs.example/ms-2.1.3.tgz',
    '/wrappy/1.0.2 wrappy@1.0.2 13:3 [] registry sri',
    '@tarballs.example/ms-2.1.3.tgz ms@2.1.3 as remote-ms 17:3 [] tarball https://tarballs.example/ms-2.1.3.tgz',
    'file:vendor/local-tgz-1.0.0.tgz local-tgz@1.0.0 23:3 [] tarball file:vendor/local-tgz-1.0.0.tgz sri => wrappy(prod 1.0.2)->/wrappy/1.0.2',
  ],
  'file-link/pnpm9': [
    '. pnpm9@ 9:3 [] directory . => dir-dep(prod file:vendor/dir-dep)->dir-dep@file:vendor/dir-dep, linked(prod link:vendor/linked)->link:vendor/linked',
    'link:vendor/linked linked@ 9:3 [] link vendor/linked',
    'dir-dep@file:vendor/dir-dep dir-dep@ 20:3 [] directory vendor/dir-dep => wrappy(prod 1.0.2)->wrappy@1.0.2',
    'wrappy@1.0.2 wrappy@1.0.2 23:3 [] registry sri',
  ],
  'file-link/pnpm8': [
    '. pnpm8@ 7:1 [] directory . => dir-dep(prod file:vendor/dir-dep)->file:vendor/dir-dep, linked(prod link:vendor/linked)->link:vendor/linked',
    'link:vendor/linked linked@ 7:1 [] link vendor/linked',
    '/wrappy@1.0.2 wrappy@1.0.2 17:3 [] registry sri',
    'file:vendor/dir-dep dir-dep@ 21:3 [] directory vendor/dir-dep => wrappy(prod 1.0.2)->/wrappy@1.0.2',
  ],
  'file-link/pnpm7': [
    '. pnpm7@ 3:1 [] directory . => dir-dep(prod file:vendor/dir-dep)->file:vendor/dir-dep, linked(prod link:vendor/linked)->link:vendor/linked',
    'link:vendor/linked linked@ 3:1 [] link vendor/linked',
    '/wrappy/1.0.2 wrappy@1.0.2 13:3 [] registry sri',
    'file:vendor/dir-dep dir-dep@1.0.0 17:3 [] directory vendor/dir-dep => wrappy(prod 1.0.2)->/wrappy/1.0.2',
  ],
  'peer/pnpm9': [
    '. pnpm9@ 9:3 [] directory . => react-dom(prod 18.3.1)->react-dom@18.3.1(react@18.3.1), ws(prod 8.18.0)->ws@8.18.0',
    'js-tokens@4.0.0 js-tokens@4.0.0 20:3 [] registry sri',
    'loose-envify@1.4.0 loose-envify@1.4.0 23:3 [] registry sri => js-tokens(prod 4.0.0)->js-tokens@4.0.0',
    'react-dom@18.3.1(react@18.3.1) react-dom@18.3.1 27:3 [] registry sri => loose-envify(prod 1.4.0)->loose-envify@1.4.0, react(peer ^18.3.1)->react@18.3.1, scheduler(prod 0.23.2)->scheduler@0.23.2',
    'react@18.3.1 react@18.3.1 32:3 [peer] registry sri => loose-envify(prod 1.4.0)->loose-envify@1.4.0',
    'scheduler@0.23.2 scheduler@0.23.2 36:3 [] registry sri => loose-envify(prod 1.4.0)->loose-envify@1.4.0',
    'ws@8.18.0 ws@8.18.0 39:3 [] registry sri => bufferutil(peerOptional ^4.0.1)->-, utf-8-validate(peerOptional >=5.0.2)->-',
  ],
  'peer/pnpm8': [
    '. pnpm8@ 7:1 [] directory . => react-dom(prod 18.3.1)->/react-dom@18.3.1(react@18.3.1), ws(prod 8.18.0)->/ws@8.18.0',
    '/js-tokens@4.0.0 js-tokens@4.0.0 17:3 [] registry sri',
    '/loose-envify@1.4.0 loose-envify@1.4.0 21:3 [] registry sri => js-tokens(prod 4.0.0)->/js-tokens@4.0.0',
    '/react-dom@18.3.1(react@18.3.1) react-dom@18.3.1 28:3 [] registry sri => loose-envify(prod 1.4.0)->/loose-envify@1.4.0, react(peer ^18.3.1)->/react@18.3.1, scheduler(prod 0.23.2)->/scheduler@0.23.2',
    '/react@18.3.1 react@18.3.1 38:3 [peer] registry sri => loose-envify(prod 1.4.0)->/loose-envify@1.4.0',
    '/scheduler@0.23.2 scheduler@0.23.2 45:3 [] registry sri => loose-envify(prod 1.4.0)->/loose-envify@1.4.0',
    '/ws@8.18.0 ws@8.18.0 51:3 [] registry sri => bufferutil(peerOptional ^4.0.1)->-, utf-8-validate(peerOptional >=5.0.2)->-',
  ],
  'peer/pnpm7': [
    '. pnpm7@ 3:1 [] directory . => react-dom(prod 18.3.1)->/react-dom/18.3.1_react@18.3.1, ws(prod 8.18.0)->/ws/8.18.0',
    '/js-tokens/4.0.0 js-tokens@4.0.0 13:3 [] registry sri',
    '/loose-envify/1.4.0 loose-envify@1.4.0 17:3 [] registry sri => js-tokens(prod 4.0.0)->/js-tokens/4.0.0',
    '/react-dom/18.3.1_react@18.3.1 react-dom@18.3.1 24:3 [] registry sri => loose-envify(prod 1.4.0)->/loose-envify/1.4.0, react(peer ^18.3.1)->/react/18.3.1, scheduler(prod 0.23.2)->/scheduler/0.23.2',
    '/react/18.3.1 react@18.3.1 34:3 [peer] registry sri => loose-envify(prod 1.4.0)->/loose-envify/1.4.0',
    '/scheduler/0.23.2 scheduler@0.23.2 41:3 [] registry sri => loose-envify(prod 1.4.0)->/loose-envify/1.4.0',
    '/ws/8.18.0 ws@8.18.0 47:3 [] registry sri => bufferutil(peerOptional ^4.0.1)->-, utf-8-validate(peerOptional >=5.0.2)->-',
  ],
  'optional/pnpm9': [
    '. pnpm9@ 9:3 [] directory . => bunyan(prod 1.8.15)->bunyan@1.8.15, inflight(optional 1.0.6)->inflight@1.0.6, once(dev 1.4.0)->once@1.4.0',
    'balanced-match@1.0.2 balanced-match@1.0.2 25:3 [optional] registry sri',
    'brace-expansion@1.1.22 brace-expansion@1.1.22 28:3 [optional] registry sri => balanced-match(prod 1.0.2)->balanced-match@1.0.2, concat-map(prod 0.0.1)->concat-map@0.0.1',
    'bunyan@1.8.15 bunyan@1.8.15 31:3 [] registry sri => dtrace-provider(optional 0.8.8)->dtrace-provider@0.8.8, moment(optional 2.31.0)->moment@2.31.0, mv(optional 2.1.1)->mv@2.1.1, safe-json-stringify(optional 1.2.0)->safe-json-stringify@1.2.0',
    'concat-map@0.0.1 concat-map@0.0.1 36:3 [optional] registry sri',
    'dtrace-provider@0.8.8 dtrace-provider@0.8.8 39:3 [optional] registry sri => nan(prod 2.30.0)->nan@2.30.0',
    'glob@6.0.4 glob@6.0.4 43:3 [optional] registry sri => inflight(prod 1.0.6)->inflight@1.0.6, inherits(prod 2.0.4)->inherits@2.0.4, minimatch(prod 3.1.5)->minimatch@3.1.5, once(prod 1.4.0)->once@1.4.0, path-is-absolute(prod 1.0.1)->path-is-absolute@1.0.1',
    'inflight@1.0.6 inflight@1.0.6 46:3 [optional] registry sri => once(prod 1.4.0)->once@1.4.0, wrappy(prod 1.0.2)->wrappy@1.0.2',
    'inherits@2.0.4 inherits@2.0.4 49:3 [optional] registry sri',
    'minimatch@3.1.5 minimatch@3.1.5 52:3 [optional] registry sri => brace-expansion(prod 1.1.22)->brace-expansion@1.1.22',
    'minimist@1.2.8 minimist@1.2.8 55:3 [optional] registry sri',
    'mkdirp@0.5.6 mkdirp@0.5.6 58:3 [optional] registry sri => minimist(prod 1.2.8)->minimist@1.2.8',
    'moment@2.31.0 moment@2.31.0 62:3 [optional] registry sri',
    'mv@2.1.1 mv@2.1.1 65:3 [optional] registry sri => mkdirp(prod 0.5.6)->mkdirp@0.5.6, ncp(prod 2.0.0)->ncp@2.0.0, rimraf(prod 2.4.5)->rimraf@2.4.5',
    'nan@2.30.0 nan@2.30.0 69:3 [optional] registry sri',
    'ncp@2.0.0 ncp@2.0.0 72:3 [optional] registry sri',
    'once@1.4.0 once@1.4.0 76:3 [devOptional] registry sri => wrappy(prod 1.0.2)->wrappy@1.0.2',
    'path-is-absolute@1.0.1 path-is-absolute@1.0.1 79:3 [optional] registry sri',
    'rimraf@2.4.5 rimraf@2.4.5 83:3 [optional] registry sri => glob(prod 6.0.4)->glob@6.0.4',
    'safe-json-stringify@1.2.0 safe-json-stringify@1.2.0 87:3 [optional] registry sri',
    'wrappy@1.0.2 wrappy@1.0.2 90:3 [devOptional] registry sri',
  ],
  'multidoc/pnpm11': [
    '. pnpm11@ 152:3 [] directory . => once(prod ^1.4.0)->once@1.4.0',
    'once@1.4.0 once@1.4.0 160:3 [] registry sri => wrappy(prod 1.0.2)->wrappy@1.0.2',
    'wrappy@1.0.2 wrappy@1.0.2 163:3 [] registry sri',
  ],
};

const FORMAT_VERSIONS: Readonly<Record<string, string>> = { pnpm7: '5.4', pnpm8: '6.0', pnpm9: '9.0', pnpm10: '9.0', pnpm11: '9.0' };

describe('pnpm parser: the table row', () => {
  it('claims pnpm-lock.yaml, after npm and yarn and before bun in detection order', () => {
    expect(pnpm.format).toBe('pnpm');
    expect(pnpm.filenames).toEqual(['pnpm-lock.yaml']);
    expect(LOCKFILE_PARSERS.map((parser) => parser.format)).toEqual(['npm', 'yarn-classic', 'yarn-berry', 'pnpm', 'bun']);
    expect(parserFor(inline('lockfileVersion: 9.0\n'))).toBe(pnpm);
  });
});

describe('pnpm parser: every fixture, node by node', () => {
  it.each(Object.keys(SUMMARIES))('%s', async (name) => {
    const [scenario, manager] = name.split('/') as [string, string];
    const graph = await parseFixture(scenario, manager);
    expect(graph.lockfile).toEqual({ path: 'pnpm-lock.yaml', format: 'pnpm', formatVersion: FORMAT_VERSIONS[manager] });
    expect(summaryOf(graph)).toEqual(SUMMARIES[name]);
  });

  it.each(['basic', 'workspaces', 'catalogs', 'peer'])('reads pnpm 10 output of %s exactly like pnpm 9 output (both write 9.0)', async (scenario) => {
    const [nine, ten] = await Promise.all([parseFixture(scenario, 'pnpm9'), parseFixture(scenario, 'pnpm10')]);
    // Only the root's name differs: it is the folder's.
    expect(summaryOf(ten).slice(1)).toEqual(summaryOf(nine).slice(1));
    expect(fixture(scenario, 'pnpm10').text).toBe(fixture(scenario, 'pnpm9').text);
  });
});

describe('pnpm parser: complete nodes', () => {
  it('builds a v9 package from its packages entry and its snapshot', async () => {
    const graph = await parseFixture('basic', 'pnpm9');
    expect(graph.node('debug@2.6.9')).toEqual({
      id: 'debug@2.6.9',
      name: 'debug',
      version: '2.6.9',
      alias: undefined,
      source: { type: 'registry' },
      resolved: undefined,
      integrity: 'sha512-bC7ElrdJaJnPbAP+1EotYvqZsb3ecl5wi6Bfi6BJTUcNowp6cvspg0jXznRTKDjm/E7AdgFBVeAPVMNcKGsHMA==',
      flags: NO_FLAGS,
      hasInstallScript: false,
      location: { file: 'pnpm-lock.yaml', line: 24, column: 3 },
      dependencies: [
        { name: 'ms', spec: '2.0.0', type: 'prod', to: 'ms@2.0.0' },
        { name: 'supports-color', spec: '*', type: 'peerOptional', to: undefined },
      ],
    });
    expect(graph.root).toMatchObject({ id: '.', name: 'pnpm9', version: '', source: { type: 'directory', path: '.' } });
  });

  it('keeps a tarball URL as resolved, and the git repository and commit as the source', async () => {
    const tarball = await parseFixture('tarball', 'pnpm8');
    expect(tarball.node('@tarballs.example/ms-2.1.3.tgz')).toMatchObject({
      name: 'ms',
      version: '2.1.3',
      alias: 'remote-ms',
      source: { type: 'tarball', url: 'https://tarballs.example/ms-2.1.3.tgz' },
      resolved: 'https://tarballs.example/ms-2.1.3.tgz',
      integrity: undefined,
    });
    const git = await parseFixture('git', 'pnpm9');
    const commit = 'a5eb58ff9d280d19c47a6f0156541f45dd8893b3';
    expect(git.node(`git-dep@git+https://git.example/team/git-dep.git#${commit}`)).toMatchObject({
      name: 'git-dep',
      version: '1.0.0',
      source: { type: 'git', url: 'https://git.example/team/git-dep.git', committish: commit },
      resolved: undefined,
      integrity: undefined,
    });
  });

  it('gives a workspace the name its dependents link it under, and a link its own importer', async () => {
    const workspaces = await parseFixture('workspaces', 'pnpm9');
    expect(workspaces.importers.map((node) => [node.id, node.name, node.source])).toEqual([
      ['packages/a', 'a', { type: 'workspace', path: 'packages/a' }],
      ['packages/b', '@fixture/b', { type: 'workspace', path: 'packages/b' }],
    ]);
    const fileLink = await parseFixture('file-link', 'pnpm9');
    expect(fileLink.importers).toEqual([
      {
        id: 'link:vendor/linked',
        name: 'linked',
        version: '',
        alias: undefined,
        source: { type: 'link', path: 'vendor/linked' },
        resolved: undefined,
        integrity: undefined,
        flags: NO_FLAGS,
        hasInstallScript: false,
        location: { file: 'pnpm-lock.yaml', line: 9, column: 3 },
        dependencies: [],
      },
    ]);
  });
});

describe('pnpm parser: workspaces answer "why is this here?" from each importer', () => {
  it.each(['pnpm7', 'pnpm8', 'pnpm9'])('%s', async (manager) => {
    const graph = await parseFixture('workspaces', manager);
    const chain = (name: string): string[][] => {
      const node = graph.packages.find((candidate) => `${candidate.name}@${candidate.version}` === name)!;
      return graph.pathsTo(node, 3).map((path) => path.map((step) => step.id));
    };
    const id = (name: string, version: string): string => ({ pnpm7: `/${name}/${version}`, pnpm8: `/${name}@${version}`, pnpm9: `${name}@${version}` })[manager]!;
    expect(chain('ms@2.1.3')).toEqual([['.', id('ms', '2.1.3')]]);
    expect(chain('ms@2.0.0')).toEqual([['packages/b', id('debug', '2.6.9'), id('ms', '2.0.0')]]);
    // wrappy: a dev dependency of b and a dependency of a's once, so not dev.
    expect(chain('wrappy@1.0.2')).toEqual([
      ['packages/b', id('wrappy', '1.0.2')],
      ['packages/a', id('once', '1.4.0'), id('wrappy', '1.0.2')],
    ]);
    expect(graph.dependents(graph.node('packages/b')!).map((node) => node.id)).toEqual(['packages/a']);
  });
});

describe('pnpm parser: flags mean the same in every lockfile version', () => {
  /** name@version → flags, for comparing lockfiles whose ids differ. */
  const flagsByRelease = async (scenario: string, manager: string): Promise<Record<string, string>> => {
    const graph = await parseFixture(scenario, manager);
    const entries = graph.packages.map((node): [string, string] => {
      const on = Object.entries(node.flags).filter(([, value]) => value).map(([flag]) => flag);
      return [`${node.name}@${node.version}`, on.join(',')];
    });
    return Object.fromEntries(entries);
  };

  it('derives v9 dev flags that match what pnpm 7 and 8 recorded (optional)', async () => {
    const nine = await flagsByRelease('optional', 'pnpm9');
    expect(await flagsByRelease('optional', 'pnpm8')).toEqual(nine);
    expect(await flagsByRelease('optional', 'pnpm7')).toEqual(nine);
    expect(nine).toMatchObject({ 'bunyan@1.8.15': '', 'inflight@1.0.6': 'optional', 'once@1.4.0': 'devOptional', 'wrappy@1.0.2': 'devOptional' });
  });

  it.each(['basic', 'workspaces', 'peer', 'alias'])('%s', async (scenario) => {
    const nine = await flagsByRelease(scenario, 'pnpm9');
    expect(await flagsByRelease(scenario, 'pnpm8')).toEqual(nine);
    expect(await flagsByRelease(scenario, 'pnpm7')).toEqual(nine);
  });
});

describe('pnpm parser: forms no pnpm here writes (hand-written lockfiles)', () => {
  it('reads lockfile 5.3: specifiers, `_` peer suffixes, a registry-prefixed key and an alias', async () => {
    // pnpm 6, which wrote 5.3, does not run on Node 20; this is its format, written by hand.
    const text = `lockfileVersion: 5.3

specifiers:
  '@scope/a': ^1.0.0
  b: npm:c@^2.0.0
  peer: ^3.0.0

dependencies:
  '@scope/a': 1.0.0_peer@3.0.0
  b: /c/2.0.0

devDependencies:
  peer: registry.example/peer/3.0.0

packages:

  /@scope/a/1.0.0_peer@3.0.0:
    resolution: {integrity: sha512-AAAA}
    peerDependencies:
      peer: ^3.0.0
    dependencies:
      peer: registry.example/peer/3.0.0
    dev: false

  /c/2.0.0:
    resolution: {integrity: sha1-BBBB}
    dev: false

  registry.example/peer/3.0.0:
    resolution: {integrity: sha512-CCCC, tarball: https://registry.example/peer/-/peer-3.0.0.tgz}
`;
    const graph = await pnpm.parse(inline(text));
    expect(graph.lockfile.formatVersion).toBe('5.3');
    expect(summaryOf(graph)).toEqual([
      '. project@ 3:1 [] directory . => @scope/a(prod ^1.0.0)->/@scope/a/1.0.0_peer@3.0.0, b(prod npm:c@^2.0.0)->/c/2.0.0, peer(dev ^3.0.0)->registry.example/peer/3.0.0',
      '/@scope/a/1.0.0_peer@3.0.0 @scope/a@1.0.0 17:3 [] registry sri => peer(peer ^3.0.0)->registry.example/peer/3.0.0',
      '/c/2.0.0 c@2.0.0 as b 25:3 [] registry sri',
      'registry.example/peer/3.0.0 peer@3.0.0 29:3 [] registry https://registry.example/peer/-/peer-3.0.0.tgz sri',
    ]);
    expect(graph.node('/c/2.0.0')!.integrity).toBe('sha1-BBBB');
  });

  it('reads v9 patch hashes, snapshots without a packages entry and packages without a snapshot', async () => {
    const text = `lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      a:
        specifier: ^1.0.0
        version: 1.0.0(patch_hash=abc123)(b@2.0.0)
      '@s/b':
        specifier: npm:b@2
        version: b@2.0.0

packages:

  a@1.0.0:
    resolution: {integrity: sha512-AAAA}
    peerDependencies:
      b: '2'

  b@2.0.0:
    resolution: {integrity: sha512-BBBB}

  orphan@0.1.0:
    resolution: {integrity: sha512-CCCC}

snapshots:

  a@1.0.0(patch_hash=abc123)(b@2.0.0):
    dependencies:
      b: 2.0.0

  b@2.0.0: {}

  ghost@3.0.0:
    dependencies:
      b: 2.0.0
`;
    const graph = await pnpm.parse(inline(text));
    expect(summaryOf(graph)).toEqual([
      '. project@ 5:3 [] directory . => a(prod ^1.0.0)->a@1.0.0(patch_hash=abc123)(b@2.0.0), @s/b(prod npm:b@2)->b@2.0.0',
      'a@1.0.0(patch_hash=abc123)(b@2.0.0) a@1.0.0 16:3 [] registry sri => b(peer 2)->b@2.0.0',
      'b@2.0.0 b@2.0.0 as @s/b 21:3 [] registry sri',
      // No packages entry: no resolution, so nothing pins it (the integrity check says so).
      'ghost@3.0.0 ghost@3.0.0 35:3 [] registry => b(prod 2.0.0)->b@2.0.0',
      'orphan@0.1.0 orphan@0.1.0 24:3 [] registry sri',
    ]);
  });

  it('names a pnpm 7 git entry that records no name after the dependency that points at it', async () => {
    // What pnpm 7 writes for a git+file: dependency (the scratch path rewritten).
    const text = `lockfileVersion: 5.4

specifiers:
  git-dep: git+file:///srv/git/git-dep.git#v1.0.0

dependencies:
  git-dep: /srv/git/git-dep/a5eb58ff9d280d19c47a6f0156541f45dd8893b3

packages:

  /srv/git/git-dep/a5eb58ff9d280d19c47a6f0156541f45dd8893b3:
    resolution: {commit: a5eb58ff9d280d19c47a6f0156541f45dd8893b3, repo: file:///srv/git/git-dep.git, type: git}
    dev: false
`;
    const graph = await pnpm.parse(inline(text));
    expect(summaryOf(graph)).toEqual([
      '. project@ 3:1 [] directory . => git-dep(prod git+file:///srv/git/git-dep.git#v1.0.0)->/srv/git/git-dep/a5eb58ff9d280d19c47a6f0156541f45dd8893b3',
      '/srv/git/git-dep/a5eb58ff9d280d19c47a6f0156541f45dd8893b3 git-dep@ 11:3 [] git file:///srv/git/git-dep.git#a5eb58ff9d280d19c47a6f0156541f45dd8893b3',
    ]);
  });

  it('reads only the last document of a multi-document file', async () => {
    const text = `---
lockfileVersion: '9.0'

importers:

  .:
    packageManagerDependencies:
      pnpm:
        specifier: 11.0.0
        version: 11.0.0

packages:

  pnpm@11.0.0:
    resolution: {integrity: sha512-PPPP}

snapshots:

  pnpm@11.0.0: {}

---
lockfileVersion: '9.0'

importers:

  .: {}
`;
    const graph = await pnpm.parse(inline(text));
    expect(summaryOf(graph)).toEqual(['. project@ 26:3 [] directory .']);
    expect((await parseFixture('multidoc', 'pnpm11')).packages.map((node) => node.id)).toEqual(['once@1.4.0', 'wrappy@1.0.2']);
  });

  it('reads an empty lockfile, or one of comments, as a project with nothing locked', async () => {
    for (const text of ['', '# nothing locked yet\n']) {
      const graph = await pnpm.parse(inline(text));
      expect(graph.lockfile).toEqual({ path: 'pnpm-lock.yaml', format: 'pnpm', formatVersion: '' });
      expect(summaryOf(graph)).toEqual(['. project@ 1:1 [] directory .']);
    }
  });

  it('accepts lockfile versions 3 and 5.4-inlineSpecifiers, which share the v5 shape', async () => {
    expect((await pnpm.parse(inline("lockfileVersion: '3'\n"))).lockfile.formatVersion).toBe('3');
    const inlineSpecifiers = `lockfileVersion: 5.4-inlineSpecifiers

dependencies:
  ms:
    specifier: ^2.1.3
    version: 2.1.3

packages:

  /ms/2.1.3:
    resolution: {integrity: sha512-AAAA}
    dev: false
`;
    expect(summaryOf(await pnpm.parse(inline(inlineSpecifiers)))).toEqual([
      '. project@ 3:1 [] directory . => ms(prod ^2.1.3)->/ms/2.1.3',
      '/ms/2.1.3 ms@2.1.3 10:3 [] registry sri',
    ]);
  });

  it('reads CRLF line ends and a byte order mark (through js-yaml) to the same graph and positions', async () => {
    const lf = fixture('peer', 'pnpm9');
    const crlf = { ...lf, text: `\uFEFF${lf.text.replace(/\n/g, '\r\n')}` };
    expect(summaryOf(await pnpm.parse(crlf))).toEqual(summaryOf(await pnpm.parse(lf)));
  });

  it('reads multi-line deprecation messages (literal blocks) without losing the entry', async () => {
    const text = `lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      old:
        specifier: 1.0.0
        version: 1.0.0

packages:

  old@1.0.0:
    resolution: {integrity: sha512-AAAA}
    deprecated: |-
      This package is no longer supported.
      Use something else.

snapshots:

  old@1.0.0: {}
`;
    expect(summaryOf(await pnpm.parse(inline(text)))).toEqual([
      '. project@ 5:3 [] directory . => old(prod 1.0.0)->old@1.0.0',
      'old@1.0.0 old@1.0.0 13:3 [] registry sri',
    ]);
  });
});

describe('pnpm parser: errors name the file, line and column, with the command that fixes it', () => {
  interface Case {
    readonly text: string;
    readonly type: typeof LockfileParseError | typeof UnsupportedLockfileError;
    readonly message: string;
    readonly hints: readonly string[];
  }
  const V9 = "lockfileVersion: '9.0'\n";
  const cases: Readonly<Record<string, Case>> = {
    'a git merge conflict': {
      text: `${V9}<<<<<<< HEAD\nimporters: {}\n=======\nimporters:\n  .: {}\n>>>>>>> theirs\n`,
      type: LockfileParseError,
      message: 'pnpm-lock.yaml:2:1: unresolved git merge conflict (a "<<<<<<<" marker)',
      hints: ['resolve it: pnpm install --lockfile-only merges a conflicted pnpm-lock.yaml by itself'],
    },
    'a YAML syntax error': {
      text: `${V9}importers:\n  .:\n    dependencies:\n   bad: 1\n`,
      type: LockfileParseError,
      message: 'pnpm-lock.yaml:5:4: bad indentation of a mapping entry',
      hints: [`pnpm-lock.yaml is not valid YAML; ${HINT}`],
    },
    'a truncated quoted key': {
      text: `${V9}packages:\n  '@scope/a@1.0.0`,
      type: LockfileParseError,
      message: 'pnpm-lock.yaml:3:18: unexpected end of the stream within a single quoted scalar',
      hints: [`pnpm-lock.yaml is not valid YAML; ${HINT}`],
    },
    'a sequence at the top level': {
      text: '- a\n- b\n',
      type: LockfileParseError,
      message: 'pnpm-lock.yaml:1:1: expected a mapping at the top level, found a sequence',
      hints: [HINT],
    },
    'no lockfileVersion': {
      text: 'importers: {}\n',
      type: UnsupportedLockfileError,
      message: 'pnpm-lock.yaml:1:1: has no "lockfileVersion"; pkgguard reads pnpm lockfileVersion 5.x, 6.x and 9.0',
      hints: [`${HINT} (pnpm 8 writes 6.0, pnpm 9 and later 9.0)`],
    },
    'an unknown lockfileVersion': {
      text: "# pnpm 9 beta\nlockfileVersion: '7.0'\n",
      type: UnsupportedLockfileError,
      message: 'pnpm-lock.yaml:2:1: has lockfileVersion "7.0"; pkgguard reads pnpm lockfileVersion 5.x, 6.x and 9.0',
      hints: [`${HINT} (pnpm 8 writes 6.0, pnpm 9 and later 9.0)`],
    },
    'a newer lockfileVersion': {
      text: "lockfileVersion: '10.0'\n",
      type: UnsupportedLockfileError,
      message: 'pnpm-lock.yaml:1:1: has lockfileVersion "10.0"; pkgguard reads pnpm lockfileVersion 5.x, 6.x and 9.0',
      hints: [`${HINT} (pnpm 8 writes 6.0, pnpm 9 and later 9.0)`, 'a newer lockfileVersion needs a newer pkgguard'],
    },
    '"packages" of the wrong type': {
      text: `${V9}\npackages:\n  - a@1.0.0\n`,
      type: LockfileParseError,
      message: 'pnpm-lock.yaml:3:1: "packages" must be a mapping, found a sequence',
      hints: [HINT],
    },
    'an entry of the wrong type': {
      text: `${V9}packages:\n  a@1.0.0: 3\n`,
      type: LockfileParseError,
      message: 'pnpm-lock.yaml:3:3: packages["a@1.0.0"] must be a mapping, found a number',
      hints: [HINT],
    },
    'an importer of the wrong type': {
      text: `${V9}importers:\n  .: [a]\n`,
      type: LockfileParseError,
      message: 'pnpm-lock.yaml:3:3: importers["."] must be a mapping, found a sequence',
      hints: [HINT],
    },
    'a resolution of a type pnpm may add later': {
      text: `${V9}packages:\n  a@1.0.0:\n    resolution: {type: custom, url: 'https://x.example/a.tgz'}\nsnapshots:\n  a@1.0.0: {}\n`,
      type: LockfileParseError,
      message: 'pnpm-lock.yaml:3:3: packages["a@1.0.0"].resolution has type "custom", which pkgguard does not read (known: git, directory)',
      hints: [HINT],
    },
    'a resolution of the wrong type': {
      text: `${V9}packages:\n  a@1.0.0:\n    resolution: sha512-AAAA\n`,
      type: LockfileParseError,
      message: 'pnpm-lock.yaml:3:3: packages["a@1.0.0"].resolution must be a mapping, found a string',
      hints: [HINT],
    },
    'an integrity of the wrong type': {
      text: `${V9}packages:\n  a@1.0.0:\n    resolution: {integrity: 5}\n`,
      type: LockfileParseError,
      message: 'pnpm-lock.yaml:3:3: packages["a@1.0.0"].resolution.integrity must be a string, found a number',
      hints: [HINT],
    },
    'a git resolution without a repository': {
      text: `${V9}packages:\n  a@git+https://git.example/a.git#abc:\n    resolution: {commit: abc, type: git}\n    version: 1.0.0\n`,
      type: LockfileParseError,
      message: 'pnpm-lock.yaml:3:3: packages["a@git+https://git.example/a.git#abc"].resolution of type git has no "repo"',
      hints: [HINT],
    },
    'a dependency of the wrong type (v9 importer)': {
      text: `${V9}importers:\n  .:\n    dependencies:\n      a: 5\n`,
      type: LockfileParseError,
      message: 'pnpm-lock.yaml:3:3: importers["."].dependencies.a must be a version string or a {specifier, version} mapping, found a number',
      hints: [HINT],
    },
    'a dependency of the wrong type (v5 top level)': {
      text: 'lockfileVersion: 5.4\n\ndependencies:\n  a: 1.5\n',
      type: LockfileParseError,
      message: 'pnpm-lock.yaml:3:1: dependencies.a must be a version string or a {specifier, version} mapping, found a number',
      hints: [HINT],
    },
    'a specifier of the wrong type': {
      text: "lockfileVersion: '6.0'\n\ndependencies:\n  a:\n    specifier: [1]\n    version: 1.0.0\n",
      type: LockfileParseError,
      message: 'pnpm-lock.yaml:3:1: dependencies.a.specifier must be a string, found a sequence',
      hints: [HINT],
    },
    'a peer range of the wrong type': {
      text: `${V9}packages:\n  a@1.0.0:\n    resolution: {integrity: sha512-AAAA}\n    peerDependencies:\n      b: [2]\n`,
      type: LockfileParseError,
      message: 'pnpm-lock.yaml:3:3: packages["a@1.0.0"].peerDependencies.b must be a string, found a sequence',
      hints: [HINT],
    },
    'a name of the wrong type': {
      text: "lockfileVersion: '6.0'\npackages:\n  github.com/org/a/abc:\n    resolution: {tarball: https://git.example/a.tgz}\n    name: 5\n",
      type: LockfileParseError,
      message: 'pnpm-lock.yaml:3:3: packages["github.com/org/a/abc"].name must be a string, found a number',
      hints: [HINT],
    },
    'an entry nothing names': {
      text: 'lockfileVersion: 5.3\npackages:\n  invalidpath:\n    resolution: {integrity: sha512-AAAA}\n',
      type: LockfileParseError,
      message: 'pnpm-lock.yaml:3:3: cannot tell the package name of packages["invalidpath"]: the key is not a dependency path and the entry has no "name"',
      hints: [HINT],
    },
  };

  it.each(Object.keys(cases))('%s', async (name) => {
    const { text, type, message, hints } = cases[name]!;
    const error = await parseError(inline(text));
    expect(error).toBeInstanceOf(type);
    expect(error).toMatchObject({ message, hints, exitCode: 3 });
  });

  it('refuses a hostile nesting depth with an error, not a stack overflow', async () => {
    const error = await parseError(inline(`${V9}x: ${'['.repeat(100_000)}\n`));
    expect(error).toBeInstanceOf(LockfileParseError);
    expect(error).toMatchObject({ exitCode: 3, message: expect.stringMatching(/^pnpm-lock\.yaml:2:\d+: /) as unknown });
  });
});

describe('pnpm parser: managed runtimes (pnpm 10 devEngines.runtime)', () => {
  it('leaves the runtime out of the packages and keeps the edge to it, target-less, with its runtime: spec', async () => {
    const graph = await parseFixture('runtime', 'pnpm10');
    expect(summaryOf(graph)).toEqual([
      '. pnpm10@ 9:3 [] directory . => once(prod 1.4.0)->once@1.4.0, node(dev runtime:22.11.0)->-',
      'once@1.4.0 once@1.4.0 56:3 [] registry sri => wrappy(prod 1.0.2)->wrappy@1.0.2',
      'wrappy@1.0.2 wrappy@1.0.2 59:3 [] registry sri',
    ]);
    expect(graph.node('node@runtime:22.11.0')).toBeUndefined();
  });

  it('recognises runtimes by key (any name, scoped too) and by a binary or variations resolution', async () => {
    const text = [
      "lockfileVersion: '9.0'",
      'importers:',
      '  .:',
      '    devDependencies:',
      '      bun: {specifier: runtime:1.2.0, version: runtime:1.2.0}',
      '      tool: {specifier: 1.0.0, version: 1.0.0}',
      'packages:',
      '  bun@runtime:1.2.0:',
      '    resolution: {type: variations, variants: []}',
      "  '@acme/rt@runtime:2.0.0':",
      '    resolution: {integrity: sha512-AA==}',
      '  tool@1.0.0:',
      "    resolution: {type: binary, url: 'https://x.example/tool', integrity: sha256-AA==}",
      '  ms@2.1.3:',
      '    resolution: {integrity: sha512-AA==}',
      'snapshots:',
      '  bun@runtime:1.2.0: {}',
      "  '@acme/rt@runtime:2.0.0': {}",
      '  tool@1.0.0: {}',
      '  ms@2.1.3: {}',
      '',
    ].join('\n');
    const graph = await pnpm.parse(inline(text));
    expect(summaryOf(graph)).toEqual([
      '. project@ 3:3 [] directory . => bun(dev runtime:1.2.0)->-, tool(dev 1.0.0)->-',
      'ms@2.1.3 ms@2.1.3 14:3 [] registry sri',
    ]);
  });
});
