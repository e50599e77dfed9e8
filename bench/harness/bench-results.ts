// What `npm run bench` records: per approach x matrix size x thread count, the runs and their
// summary, the comparisons with genomatrix, and the machine it ran on (bench/results/latest.json).

import { cpus, availableParallelism, loadavg, release, totalmem } from 'node:os';
import { inflater } from '../../src/read/inflate.js';
import { deflater } from '../../src/write/bgzf.js';
import type { Comparison } from './compare-outputs.js';
import type { Measurement } from './measure-command.js';
import type { ScenarioResult, TargetResult } from './run-scenarios.js';

/** min / median / max of a few numbers. */
export interface Spread {
  min: number;
  median: number;
  max: number;
}

export const CellStatus = {
  ok: 'ok',
  failed: 'failed',
  unavailable: 'unavailable',
} as const;
export type CellStatus = (typeof CellStatus)[keyof typeof CellStatus];

/** One approach on one matrix size with one thread count. */
export interface ResultCell {
  approach: string;
  label: string;
  sites: number;
  threads: number;
  status: CellStatus;
  /** A reference point (the copy floor), not a way of making the table: no output check, no ratio. */
  floor?: boolean;
  /** Why it failed or could not run. */
  reason?: string;
  warmup?: Measurement;
  runs: Measurement[];
  wallMs?: Spread;
  peakRssBytes?: Spread;
  /** Median peak RSS / (sites x (haplotypes + 1)): what one matrix cell costs in memory, all overheads included. */
  bytesPerCell?: number;
  outputLines?: number;
  outputBytes?: number;
  /** Output compared with genomatrix's (same size and first thread count). */
  comparison?: Comparison;
}

/** Another approach measured against genomatrix on the same input and thread count. */
export interface Ratio {
  approach: string;
  sites: number;
  threads: number;
  /** genomatrix / other: below 1 means genomatrix is faster (smaller). */
  genomatrixOverOther: { wallMedian: number; peakRssMedian: number };
}

/** Wall time with one thread / wall time with more, per approach and size. */
export interface Speedup {
  approach: string;
  sites: number;
  fromThreads: number;
  toThreads: number;
  speedup: number;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  availableParallelism: number;
  memoryBytes: number;
  node: string;
  kernel: string;
  /** 1-minute load average when the run started: above 0.5 or so, other work shared the cores. */
  loadAverageAtStart: number;
  /** What genomatrix inflated gzip and BGZF input with: ISA-L's binding, or node:zlib (src/read/inflate.ts). Absent in older results. */
  inflate?: 'isal' | 'zlib';
  /** What genomatrix deflated BGZF output with: libdeflate through the binding, or node:zlib (src/write/bgzf.ts). Absent in older results. */
  deflate?: 'libdeflate' | 'zlib';
}

export interface BenchResults {
  date: string;
  command: string;
  machine: MachineInfo;
  options: { sizes: number[]; threads: number[]; runs: number; contigs: number; haplotypes: number; seed: number; intervalMs: number };
  /** True while (or when) the run did not finish all its sizes. */
  partial: boolean;
  matrices: { sites: number; file: string; bytes: number; contigs: number; haplotypes: number }[];
  cells: ResultCell[];
  ratios: Ratio[];
  speedups: Speedup[];
  /** The targets of issue 15, each from a subject and its baseline measured in the same rounds. */
  targets?: TargetResult[];
  scenarios?: ScenarioResult[];
}

/** The machine the benchmarks run on. */
export function machineInfo(): MachineInfo {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    availableParallelism: availableParallelism(),
    memoryBytes: totalmem(),
    node: process.version,
    kernel: release(),
    loadAverageAtStart: loadavg()[0] ?? 0,
    inflate: inflater,
    deflate: deflater,
  };
}

/** min, median and max of `values` (not empty). */
export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { min: sorted[0] as number, median, max: sorted[sorted.length - 1] as number };
}

/** Ratios of every measured approach against genomatrix, and the speed-up from the fewest threads to the most. */
export function compareCells(cells: ResultCell[]): { ratios: Ratio[]; speedups: Speedup[] } {
  const ok = cells.filter((cell) => cell.status === CellStatus.ok && cell.wallMs && cell.peakRssBytes);
  const ratios: Ratio[] = [];
  for (const cell of ok) {
    if (cell.approach === 'genomatrix' || cell.floor) continue;
    const base = ok.find((g) => g.approach === 'genomatrix' && g.sites === cell.sites && g.threads === cell.threads);
    if (!base?.wallMs || !base.peakRssBytes || !cell.wallMs || !cell.peakRssBytes) continue;
    ratios.push({
      approach: cell.approach,
      sites: cell.sites,
      threads: cell.threads,
      genomatrixOverOther: { wallMedian: base.wallMs.median / cell.wallMs.median, peakRssMedian: base.peakRssBytes.median / cell.peakRssBytes.median },
    });
  }
  const speedups: Speedup[] = [];
  for (const cell of ok) {
    const group = ok.filter((c) => c.approach === cell.approach && c.sites === cell.sites);
    const fewest = group.reduce((a, b) => (b.threads < a.threads ? b : a));
    const most = group.reduce((a, b) => (b.threads > a.threads ? b : a));
    if (cell !== most || fewest === most || !fewest.wallMs || !most.wallMs) continue;
    speedups.push({ approach: cell.approach, sites: cell.sites, fromThreads: fewest.threads, toThreads: most.threads, speedup: fewest.wallMs.median / most.wallMs.median });
  }
  return { ratios, speedups };
}
