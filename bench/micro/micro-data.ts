// Inputs of the micro-benchmarks: a seed-shaped chunk of matrix lines made by the project's
// generator (in memory), and the place benny writes its results.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
/** benny writes `<name>.json` here. */
export const resultsFolder = join(root, 'bench', 'results');
export const generatorPath = join(root, 'dist', 'scripts', 'generate-matrix.js');

/** Rows of the chunk the kernels are timed on (about 1.5 MB of text, a few ms of work). */
export const CHUNK_SITES = 20_000;

/** A chunk of matrix text: header names and the data lines' bytes. */
export interface MatrixChunk {
  names: string[];
  /** The data lines (no header), `\n`-terminated. */
  bytes: Uint8Array;
  sites: number;
}

/** Generates `contigs` contigs (default one) of `sites` seed-shaped rows (31 haplotypes) each, in memory. */
export function matrixChunk(sites = CHUNK_SITES, seed = 7, contigs = 1): MatrixChunk {
  const result = spawnSync(process.execPath, [generatorPath, '--out', '-', '--contigs', String(contigs), '--sites', String(sites), '--seed', String(seed)], {
    maxBuffer: 1 << 30,
  });
  if (result.status !== 0) throw new Error(`generator failed: ${result.stderr.toString()}`);
  const text = result.stdout as Buffer;
  const headerEnd = text.indexOf(10) + 1;
  return { names: text.subarray(0, headerEnd - 1).toString('utf8').split('\t'), bytes: new Uint8Array(text.subarray(headerEnd)), sites };
}

/** Keeps a value alive so that the optimiser cannot drop the work that made it. */
export let sink = 0;
export function consume(value: number): void {
  sink = (sink + value) | 0;
}
