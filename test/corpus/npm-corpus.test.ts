/** The npm parser against the shared corpus; packages plus importers (workspaces) are compared. */
import npm from '../../src/lockfiles/npm.ts';
import { corpusSuite } from '../helpers/corpus.ts';

corpusSuite({ dir: 'npm', parser: npm, includeImporters: true });
