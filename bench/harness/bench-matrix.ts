// The matrices the benchmarks run on: made by the project's seeded generator, named after their
// parameters, and reused when a file with the same parameters is already in the data directory.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The shape of a generated matrix. */
export interface MatrixShape {
  /** Sites in all, spread evenly over the contigs. */
  sites: number;
  contigs: number;
  haplotypes: number;
  seed: number;
  /** Contig numbers zero-padded to this many digits (the generator's `--name-digits`), if any. */
  nameDigits?: number;
}

/** A generated matrix on disk. */
export interface BenchMatrix extends MatrixShape {
  path: string;
  bytes: number;
  /** Cells held per site in memory: REF plus one per haplotype. */
  cellsPerSite: number;
}

/** The seed-shaped matrix (docs/specification.md) has 4 contigs x 1,000,000 sites x 31 haplotypes. */
export const SEED_SHAPE = { contigs: 4, haplotypes: 31, seed: 1 } as const;

/** Generates the matrix of `shape` into `dataDir`, or reuses it; returns where it is. */
export function benchMatrix(dataDir: string, generator: string, shape: MatrixShape, log: (line: string) => void): BenchMatrix {
  if (shape.sites % shape.contigs !== 0) throw new Error(`--sizes: ${shape.sites} sites do not split evenly over ${shape.contigs} contigs`);
  mkdirSync(dataDir, { recursive: true });
  const digits = shape.nameDigits ? `-d${shape.nameDigits}` : '';
  const path = join(dataDir, `matrix-${shape.contigs}x${shape.sites / shape.contigs}-h${shape.haplotypes}-seed${shape.seed}${digits}.tsv`);
  if (!existsSync(path)) {
    log(`generating ${path}`);
    const args = ['--out', path, '--contigs', String(shape.contigs), '--sites', String(shape.sites / shape.contigs)];
    args.push('--haplotypes', String(shape.haplotypes), '--seed', String(shape.seed));
    if (shape.nameDigits) args.push('--name-digits', String(shape.nameDigits));
    const result = spawnSync(process.execPath, [generator, ...args], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`generator failed: ${result.stderr}`);
  }
  return { ...shape, path, bytes: statSync(path).size, cellsPerSite: shape.haplotypes + 1 };
}
