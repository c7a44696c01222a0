// The CLI's own module instances for the preloads here: loaded through the bundle's loader,
// which bin/pkgguard.js uses too (a plain import would load a second copy of the checks).
import { createRequire } from 'node:module';

const { bundleLoader } = createRequire(import.meta.url)('../../../dist/bundle/loader.js');

export const bundleModule = (path) => bundleLoader().load(path);
