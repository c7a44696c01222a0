/**
 * The bun parser against the shared corpus, with one rule on top of the npm suite: an expected
 * entry naming one of the lockfile's workspaces is optional too. The corpus README counts
 * workspace members among the entries parsers legitimately differ on, but its bun reference
 * parser listed them from their `"name@workspace:path"` tuples, with version ""
 * (trivy-bun-multiple-ws lists `my-app@` as required and `my-app@1.0.0` as optional); pkgguard
 * reports each workspace once, as an importer, with the version `workspaces` records.
 */
import bun from '../../src/lockfiles/bun.ts';
import { corpusSuite } from '../helpers/corpus.ts';

corpusSuite({ dir: 'bun', parser: bun, includeImporters: true, workspaceEntriesOptional: true });
