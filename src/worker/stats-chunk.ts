// The statistics kernel: counts over rows of one contig, read straight from the allele codes.
// Per haplotype, a histogram of codes (missing and deletion counts, allele counts come from it);
// per site, the alt alleles by the haplotype-table rule; per pair, called and heterozygous sites.
// When the TSV table is written as plain text, the task of a whole contig also writes the contig's
// lines: the contigs' lines are formatted in parallel, and the main thread only sums the counts.

import { alleleBytes } from '../layout/allele-bytes.js';
import { altAlleles, altScratch } from '../layout/alt-rule.js';
import { batchViews } from '../layout/matrix-layout.js';
import { scopeNumbers, scopeScratch, StatsTableWriter, type ScopeScratch } from '../convert/stats-table.js';
import type { StatsCounts, StatsNames, StatsTask, TransferredChunk } from './messages.js';
import type { SharedRows } from './shared-views.js';

/**
 * Counts rows `[task.from, task.to)` of a batch: in its own views, or in the views a group's small
 * contigs share (worker/shared-views.ts), from their row `shared.row`.
 */
export function runStatsTask(task: StatsTask, shared?: SharedRows): StatsCounts | TransferredChunk {
  const counts = countRows(task, shared);
  if (!task.encodes) return counts;
  let bytes: Uint8Array = NO_BYTES;
  if (task.table && task.whole) {
    const { writer, scratch } = tableOf(task.table);
    writer.scope(task.contig, scopeNumbers(counts, task.table, scratch));
    bytes = writer.rest(true) ?? NO_BYTES;
  }
  return { bytes, lines: 0, data: counts };
}

const NO_BYTES: Uint8Array = new Uint8Array(0);

/** The table writer of each table's names (a group's tasks share theirs), its chunk reused from task to task. */
const tables = new WeakMap<StatsNames, { writer: StatsTableWriter; scratch: ScopeScratch }>();

function tableOf(names: StatsNames): { writer: StatsTableWriter; scratch: ScopeScratch } {
  let table = tables.get(names);
  if (!table) {
    table = { writer: new StatsTableWriter(names, 1 << 16), scratch: scopeScratch(names) };
    tables.set(names, table);
  }
  return table;
}

function countRows(task: StatsTask, shared?: SharedRows): StatsCounts {
  const { ref, haplotypes } = shared?.views ?? batchViews(task, task.batch, task.from, task.to);
  const { missing, deletion } = alleleBytes(task.alleles);
  const rows = task.to - task.from;
  const start = shared?.row ?? 0;
  const end = start + rows;
  const width = haplotypes.length;

  // Code histograms, one column at a time (sequential reads of each column), kept for the codes up
  // to the largest one the rows hold: a few per haplotype, not 256 (the counts go back to the main
  // thread with every task, and a contig of 20 sites would otherwise post 63 KiB of zeros). The
  // histograms are the worker's scratch, cleared after use: a fresh one per task (32 KiB for 31
  // haplotypes) cost more than counting a contig of 20 sites.
  const histograms = histogramScratch(width);
  let largest = -1;
  for (let h = 0; h < width; h++) {
    const codes = haplotypes[h] as Uint8Array;
    const at = h * 256;
    for (let r = start; r < end; r++) {
      const code = codes[r] as number;
      (histograms[at + code] as number)++;
      if (code > largest) largest = code;
    }
  }
  const stride = largest + 1;
  // One buffer for all the counts (cells, then each pair's called and heterozygous sites): one
  // ArrayBuffer to clone back to the main thread instead of three, for every task.
  const pairs = task.pairs.length;
  const counts = new Float64Array(width * stride + 2 * pairs);
  const cells = counts.subarray(0, width * stride);
  const pairCalled = counts.subarray(width * stride, width * stride + pairs);
  const pairHet = counts.subarray(width * stride + pairs);
  for (let h = 0; h < width; h++) {
    for (let c = 0; c < stride; c++) {
      cells[h * stride + c] = histograms[h * 256 + c] as number;
      histograms[h * 256 + c] = 0;
    }
  }

  // Alt alleles per site (the alt rule); two are enough to tell a multi-allelic site. The table of
  // codes seen is the worker's, reset for each task (another task's rows may have the same numbers).
  const { seen, alts } = altTables;
  seen.fill(-1);
  let variableSites = 0;
  let multiallelicSites = 0;
  for (let r = start; r < end; r++) {
    const altCount = altAlleles(haplotypes, r, ref[r] as number, missing, seen, alts, 2);
    if (altCount > 0) variableSites++;
    if (altCount > 1) multiallelicSites++;
  }

  // Pairs: both members called (neither N nor -), and whether they differ.
  for (let p = 0; p < pairs; p++) {
    const [a, b] = task.pairs[p] as [number, number];
    const first = haplotypes[a] as Uint8Array;
    const second = haplotypes[b] as Uint8Array;
    let called = 0;
    let het = 0;
    for (let r = start; r < end; r++) {
      const x = first[r] as number;
      const y = second[r] as number;
      if (x === missing || x === deletion || y === missing || y === deletion) continue;
      called++;
      if (x !== y) het++;
    }
    pairCalled[p] = called;
    pairHet[p] = het;
  }

  return { sites: rows, variableSites, multiallelicSites, cells, stride, pairCalled, pairHet };
}

/** Per-worker scratch of the alt rule. */
const altTables = altScratch();

/** Per-worker histogram scratch, all zeros between tasks. */
let scratch = new Uint32Array(0);

/** Zeroed histograms of 256 codes for `width` haplotypes. */
function histogramScratch(width: number): Uint32Array {
  if (scratch.length < width * 256) scratch = new Uint32Array(width * 256);
  return scratch;
}
