#!/usr/bin/env node
// The genomatrix command line's entry point. `--version` is answered here, before anything heavy
// is imported: yargs, the commands and the Arrow and worker-pool code take ~150 ms to load, and a
// workflow runs one process per job. A conversion's worker threads are started next, so that they
// start while the rest loads. Everything else goes to cli.js, as one file when `npm run build`
// bundled it (scripts/bundle.ts, src/fresh-bundle.ts).

import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { freshBundle } from '../fresh-bundle.js';
import { earlyThreadCount } from './early-threads.js';

const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') {
  const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  process.stdout.write(`${version}\n`);
} else {
  // The worker threads compile their hot functions themselves, not in V8's background compile
  // threads: with a worker on every core, those threads wait for a core while the workers run
  // unoptimised code (docs/internals.md, "Optimising compiles"). V8 reads this flag when an isolate
  // starts, so it applies to the workers, which start after this line.
  setFlagsFromString('--no-concurrent-recompilation');
  // The VCF kernel's functions are large, and a worker compiles each itself: without inlining they
  // compile in a fraction of the time, which more than pays for the calls left in the optimised
  // code (docs/internals.md, "Optimising compiles"). Not for the other commands, whose hot code is
  // small: there inlining pays.
  if (args[0] === 'vcf') setFlagsFromString('--no-turbo-inlining');
  // A conversion's threads start now, and the command line loads while they do (dispatch/pool-threads.ts).
  const threads = earlyThreadCount(args, availableParallelism());
  if (threads !== undefined) (await import('../dispatch/pool-threads.js')).startEarlyThreads(threads);
  await import(freshBundle(new URL('./cli.bundle.js', import.meta.url), new URL('./cli.js', import.meta.url), new URL('../../.tsbuildinfo', import.meta.url)).href);
}
