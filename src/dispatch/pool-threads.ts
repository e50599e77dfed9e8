// The worker threads' settings, and threads started before the pool that uses them exists. This
// module is light (Node, tinypool, no project code but a file check) so that the command line's
// entry (cli/main.ts) can start the threads before it loads the command line itself: a thread
// takes about 100 ms to start (Node's worker bootstrap, tinypool's and the kernels' modules), and
// loading the command line and parsing its arguments took as long on the main thread, with the
// threads not yet started (docs/architecture.md, "The command line's start-up").

import { availableParallelism } from 'node:os';
import { Tinypool } from 'tinypool';
import { freshBundle } from '../fresh-bundle.js';

/**
 * The worker threads' entry, in the build output: as one file when `npm run build` bundled it (a
 * thread then reads one module, not some 40: 0.95x the CPU time of a 32 MB conversion), else as
 * tsc wrote it (src/fresh-bundle.ts).
 */
export const WORKER_ENTRY = freshBundle(new URL('../worker/entry.bundle.js', import.meta.url), new URL('../worker/entry.js', import.meta.url), new URL('../../.tsbuildinfo', import.meta.url)).href;

/** The longest timer Node accepts: a started thread is never stopped for being idle. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * The young generation of each worker's heap, where a kernel's short-lived objects go (MB). V8 lets
 * it grow to about 48 MB a thread (two 16 MB semi-spaces and the young large objects), and after a
 * few VCF tasks it had: two workers' heaps were then 140 MB,
 * the largest part of a low-memory run's peak. At 16 MB each heap stays under 50 MB, for about 5 %
 * more CPU time on a VCF run (more young collections; bench/README.md); the old generation keeps
 * V8's own limit.
 */
const YOUNG_GENERATION_MB = 16;

/** A tinypool of up to `threads` kernel threads, `started` of them started at once (the others when a task finds every started one busy). */
export function kernelThreads(threads: number, started = 1): Tinypool {
  return new Tinypool({
    filename: WORKER_ENTRY,
    minThreads: Math.min(started, threads),
    maxThreads: threads,
    idleTimeout: MAX_TIMEOUT_MS,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
}

/**
 * Where threads started early wait for their pool. A global, not a module variable: the command
 * line's entry and the bundled command line each have their own copy of this module.
 */
const EARLY = Symbol.for('genomatrix.earlyThreads');

interface EarlyThreads {
  threads: number;
  pool: Tinypool;
}

/**
 * Starts the threads of a pool of up to `threads` threads now (as many as there are usable cores),
 * for the first `WorkerPool` of as many threads to take (`takeEarlyThreads`). Started threads that
 * no pool takes do not keep the process alive (tinypool unrefs an idle thread).
 */
export function startEarlyThreads(threads: number): void {
  const slot = globalThis as { [EARLY]?: EarlyThreads };
  if (slot[EARLY]) return;
  slot[EARLY] = { threads, pool: kernelThreads(threads, availableParallelism()) };
}

/** The threads `startEarlyThreads` started for a pool of `threads` threads, once; a pool of another size stops them and gets nothing. */
export function takeEarlyThreads(threads: number): Tinypool | undefined {
  const slot = globalThis as { [EARLY]?: EarlyThreads };
  const early = slot[EARLY];
  if (!early) return undefined;
  delete slot[EARLY];
  if (early.threads === threads) return early.pool;
  void early.pool.destroy();
  return undefined;
}
