/**
 * The yarn parsers against the shared corpus: yarn-v1 through the classic parser, yarn-berry
 * through Berry's, each file also claimed by `accepts()` as detection needs.
 */
import { yarnBerry, yarnClassic } from '../../src/lockfiles/yarn.ts';
import { corpusSuite } from '../helpers/corpus.ts';

corpusSuite({
  dir: 'yarn-v1',
  parser: yarnClassic,
  title: 'yarn-classic corpus (yarn-v1)',
  includeImporters: true,
  mustAccept: true,
  disputed: {
    'snyk-aliases-yarn-lock-v1-with-resolutions': {
      reason:
        'the entry "ms@2.1.2, ms@npm:dry-uninstall@0.3.0" (a `resolutions` override) holds one package, dry-uninstall@0.3.0 ' +
        '(its resolved URL is dry-uninstall-0.3.0.tgz) installed as ms; the per-key reference parser also lists ms@0.3.0, ' +
        'a release of ms that is not in the project',
      packages: ['debug@4.3.1', 'dry-uninstall@0.3.0'],
    },
  },
});
corpusSuite({ dir: 'yarn-berry', parser: yarnBerry, title: 'yarn-berry corpus (yarn-berry)', includeImporters: true, mustAccept: true });
