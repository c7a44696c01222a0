#!/usr/bin/env node
// CommonJS (bin/package.json), like the bundle it starts: Node's ES module loader then never
// runs, ≈ 10 ms of every start. The bundle's own loader compiles it with V8's code cache.
'use strict';

const { bundleLoader } = require('../dist/bundle/loader.js');

bundleLoader()
  .load('cli/main.js')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
