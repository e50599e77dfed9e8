// Builds the optional libdeflate binding (native/libdeflate.c) when genomatrix is installed. It
// needs a C compiler and libdeflate's headers (Debian: apt-get install libdeflate-dev); without
// them the build fails, genomatrix inflates BGZF input with node:zlib instead (slower, the same
// results), and this says so in one line: the install goes on. `npm rebuild genomatrix` (or
// `npm run build:native` in a checkout) tries again.
'use strict';
const { spawnSync } = require('node:child_process');
const { rmSync } = require('node:fs');
const { join } = require('node:path');

// npm names its own node-gyp for the scripts it runs; elsewhere, node-gyp on the PATH.
const gyp = process.env.npm_config_node_gyp;
const [command, args] = gyp ? [process.execPath, [gyp, 'rebuild']] : ['node-gyp', ['rebuild']];
const run = spawnSync(command, args, { cwd: __dirname, encoding: 'utf8' });
if (run.status !== 0) {
  rmSync(join(__dirname, 'build'), { recursive: true, force: true });
  const why = run.error ? run.error.message : (`${run.stderr}`.match(/(fatal error|error): [^\n]*/) ?? ['node-gyp failed'])[0];
  console.log(`genomatrix: libdeflate binding not built (${why.trim()}); BGZF input is inflated with node:zlib, which is slower. Install libdeflate-dev and a C compiler, then npm rebuild.`);
}
