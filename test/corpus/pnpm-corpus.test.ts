/** The pnpm parser against the shared corpus; `graph.packages` is compared. */
import pnpm from '../../src/lockfiles/pnpm.ts';
import { corpusSuite } from '../helpers/corpus.ts';

corpusSuite({ dir: 'pnpm', parser: pnpm, defaultLockfile: 'pnpm-lock.yaml', includeImporters: false });
