// The approaches compared by `npm run bench`: each is a command that reads a matrix and writes the
// haplotype table to standard output, run with a given number of threads.

import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildNativeBaseline } from './native-baseline.js';

/** One way of making the haplotype table, as a command line. */
export interface Approach {
  name: string;
  /** What it is, in a few words (for the README table and the chart legend). */
  label: string;
  /** Why it cannot run here, or undefined when it can. */
  unavailable(): string | undefined;
  /** The command (program and arguments) for `input` with `threads` threads. */
  command(input: string, threads: number): [string, string[]];
  /** Whether its output is the haplotype table (compared with genomatrix's), or just a reference point. */
  producesTable: boolean;
  /** Whether `threads` means anything to it; one that is not threaded is measured once per size, as 1 thread. */
  threaded: boolean;
  /** Peak memory as summed PSS of the process tree (forking approaches), instead of RSS. */
  pss?: boolean;
  /** At most this many measured runs (slow baselines), and no warm-up when 0 extra. */
  maxRuns?: number;
}

/** V8 flag given to the naive baseline (each worker thread inherits the same heap limit). */
export const NAIVE_HEAP = '--max-old-space-size=16384';

/** Debian's python3, which has pandas from python3-pandas (a python3 earlier on PATH may not). */
const PYTHON = '/usr/bin/python3';

/** genomatrix's CLI, the baselines and the copy floor, all under the built `dist/` of `root`; the C baseline is built into `buildDir`. */
export function approaches(root: string, buildDir = join(tmpdir(), 'genomatrix-bench-build')): Approach[] {
  const dist = (...parts: string[]): string => join(root, 'dist', ...parts);
  const node = process.execPath;
  return [
    {
      name: 'genomatrix',
      label: 'genomatrix (shared columns)',
      producesTable: true,
      threaded: true,
      unavailable: () => undefined,
      command: (input, threads) => [node, [dist('src', 'cli', 'main.js'), 'haplotype', input, '--threads', String(threads)]],
    },
    {
      name: 'c',
      label: 'C program (mmap, 1 range a thread)',
      producesTable: true,
      threaded: true,
      unavailable: () => {
        const build = buildNativeBaseline(root, buildDir);
        return 'reason' in build ? build.reason : undefined;
      },
      command: (input, threads) => {
        const build = buildNativeBaseline(root, buildDir);
        return ['program' in build ? build.program : 'false', [input, '--threads', String(threads)]];
      },
    },
    {
      name: 'pandas',
      label: 'pandas + Pool (source pipeline; memory: PSS)',
      producesTable: true,
      threaded: true,
      pss: true,
      maxRuns: 1,
      unavailable: () => {
        const check = spawnSync(PYTHON, ['-c', 'import pandas'], { encoding: 'utf8' });
        return check.status === 0 ? undefined : `${PYTHON} cannot import pandas (Debian package python3-pandas)`;
      },
      command: (input, threads) => [PYTHON, [join(root, 'scripts', 'reference_haplotype.py'), input, '-', '--processes', String(threads)]],
    },
    {
      name: 'naive-node',
      label: 'naive Node (strings + postMessage)',
      producesTable: true,
      threaded: true,
      unavailable: () => undefined,
      // The heap limit raised as anyone would after the first "JavaScript heap out of memory": by
      // default V8 stops near 4 GB here, which the rows of the seed-shaped matrix as strings exceed.
      command: (input, threads) => [node, [NAIVE_HEAP, dist('bench', 'baselines', 'naive-node.js'), input, '--threads', String(threads)]],
    },
    {
      name: 'duckdb',
      label: 'DuckDB SQL',
      producesTable: true,
      threaded: true,
      unavailable: () => {
        try {
          createRequire(join(root, 'package.json')).resolve('@duckdb/node-api');
          return undefined;
        } catch {
          return '@duckdb/node-api is not installed (npm run bench:duckdb)';
        }
      },
      command: (input, threads) => [node, [dist('bench', 'baselines', 'duckdb-haplotype.js'), input, '--threads', String(threads)]],
    },
    {
      name: 'copy',
      label: 'cat (copy floor)',
      producesTable: false,
      threaded: false,
      unavailable: () => undefined,
      command: (input) => ['cat', [input]],
    },
  ];
}
