// Builds the optional native binding (native/binding.c: ISA-L's inflate, libdeflate's deflate,
// huge pages for column memory) when genomatrix is installed. It needs a C compiler and the headers
// of both libraries (Debian: apt-get install libisal-dev libdeflate-dev); without them the build
// fails, genomatrix inflates and deflates with node:zlib and leaves memory to 4 KiB pages (slower,
// the same text), and this says so in one line: the install goes on. `npm rebuild genomatrix` (or
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
  console.log(`genomatrix: native binding not built (${why.trim()}); gzip input and BGZF output go through node:zlib and column memory gets no huge pages, which is slower. Install libisal-dev, libdeflate-dev and a C compiler, then npm rebuild genomatrix (npm run build:native in a checkout).`);
}
