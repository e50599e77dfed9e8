// The command line's main-thread code, and the worker threads' entry, as one file each: `npm run
// build` runs this after tsc. Node 20 resolves, reads and links every ES module of a run one by
// one (the command line, yargs and its dependencies, the read/dispatch/write code: about 150
// files; the worker's kernels: about 40 more in each thread), which was a quarter of a small run's
// CPU time; one file cuts that, for every run and every job of a workflow.
//
// dist/src/cli/cli.js (tsc's output) -> dist/src/cli/cli.bundle.js, and dist/src/worker/entry.js
// -> dist/src/worker/entry.bundle.js. main.js and the worker pool load a bundle when it is at
// least as new as tsc's last build (dist/.tsbuildinfo; src/fresh-bundle.ts), else tsc's file, so a
// tsc build without this step never runs older code. Left out of the bundles, loaded from
// node_modules as before: tinypool (its worker threads load its own worker file, then the entry),
// @node-rs/xxhash (native) and cli-progress (both required on first use).
//
// What a module imports on first use (`import()`: pack's Arrow writer, the table view, a worker's
// Arrow view, all of them apache-arrow) goes to a file of its own beside the bundle,
// `bundle-<name>-<hash>.js`, read only by a run that uses it. In the bundle, V8 had to scan its
// source at every start, used or not: apache-arrow was three quarters of the worker bundle (496 of
// 664 KB) and half the command line's, and each thread and the main thread spent 15-20 ms on it.
//
// Every module's `import.meta.url` is replaced by the URL of the file it came from, so paths made
// relative to a module (the worker entry, an output format's kernel, package.json, yargs' locale
// files) resolve as they do without the bundle.

import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Replaces `import.meta.url` in each module bundled into `outfile` by that module's own file URL, relative to the bundle. */
function ownModuleUrl(outfile: string): Plugin {
  return {
    name: 'own-module-url',
    setup(bundler) {
      bundler.onLoad({ filter: /\.[cm]?js$/ }, async (args) => {
        const contents = await readFile(args.path, 'utf8');
        if (!contents.includes('import.meta.url')) return undefined;
        const path = relative(dirname(outfile), args.path).split('\\').join('/');
        const url = `new URL(${JSON.stringify(path.startsWith('.') ? path : `./${path}`)}, import.meta.url).href`;
        return { contents: contents.replaceAll('import.meta.url', url), loader: 'js' };
      });
    },
  };
}

/**
 * `string-width`, which yargs and cliui load to lay out help text, makes an `Intl.Segmenter` and
 * Unicode-property regular expressions (`\p{RGI_Emoji}`) when it loads: 30 + 18 ms on a 2-core
 * machine under Node 20, at every run's start and before any worker thread starts, for help text
 * most runs never print. Each import of it gets a stub that requires it on first call instead, which esbuild
 * bundles as a module initialised on first use; the stub requires the copy the importer would have
 * resolved (yargs and cliui use two versions).
 */
const LAZY = 'lazy-string-width';
const lazyStringWidth: Plugin = {
  name: LAZY,
  setup(bundler) {
    bundler.onResolve({ filter: /^string-width$/ }, (args) => {
      if (args.namespace === LAZY) return undefined;
      return { path: relative(join(dist, '..'), join(args.resolveDir, 'string-width')), namespace: LAZY, pluginData: { resolveDir: args.resolveDir } };
    });
    bundler.onLoad({ filter: /.*/, namespace: LAZY }, (args) => ({
      contents: "let loaded;\nexport default function stringWidth(text, options) {\n  loaded ??= require('string-width');\n  return loaded.default(text, options);\n}\n",
      resolveDir: (args.pluginData as { resolveDir: string }).resolveDir,
      loader: 'js',
    }));
  },
};

/** How the files of a bundle's pieces loaded on first use begin. */
const CHUNK_PREFIX = 'bundle-';

/** Bundles tsc's `entry` (under dist/src) into `outfile`. */
async function bundle(entry: string, outfile: string, plugins: Plugin[] = []): Promise<void> {
  const outdir = dirname(join(dist, 'src', outfile));
  // An earlier build's pieces are named by other hashes: removed, so that none is left to ship.
  for (const name of await readdir(outdir)) if (name.startsWith(CHUNK_PREFIX)) await rm(join(outdir, name));
  await build({
    entryPoints: { [basename(outfile, '.js')]: join(dist, 'src', entry) },
    // The pieces loaded on first use go beside the bundle: every module's URL (`ownModuleUrl`) is
    // made relative to that folder.
    outdir,
    splitting: true,
    chunkNames: `${CHUNK_PREFIX}[name]-[hash]`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['tinypool', '@node-rs/xxhash', 'cli-progress'],
    // CommonJS dependencies inside an ES module bundle call `require` for Node's own modules.
    banner: { js: "import { createRequire as bundleRequire } from 'node:module';\nconst require = bundleRequire(import.meta.url);" },
    plugins: [ownModuleUrl(join(dist, 'src', outfile)), ...plugins],
    logLevel: 'warning',
  });
}

await bundle('cli/cli.js', 'cli/cli.bundle.js', [lazyStringWidth]);
await bundle('worker/entry.js', 'worker/entry.bundle.js');
