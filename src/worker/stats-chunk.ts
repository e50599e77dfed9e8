// The statistics kernel: counts over rows of one contig, read straight from the allele codes.
// Per haplotype, a histogram of codes (missing and deletion counts, allele counts come from it);
// per site, the alt alleles by the haplotype-table rule; per pair, called and heterozygous sites.
// When the TSV table is written as plain text, the task of a whole contig also writes the contig's
// lines: the contigs' lines are formatted in parallel, and the main thread only sums the counts.

import { alleleBytes } from '../layout/allele-bytes.js';
import { ALLELE_BIT, altAlleles, altBits, altScratch, missingBitOf, RARE_BIT } from '../layout/alt-rule.js';
import { batchViews } from '../layout/matrix-layout.js';
import { scopeNumbers, scopeScratch, StatsTableWriter, type ScopeScratch } from '../convert/stats-table.js';
import type { StatsCounts, StatsNames, StatsTask, TransferredChunk } from './messages.js';
import { appendGroupBytes } from './bgzf-task.js';
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

/**
 * A joined group of small contigs, each a whole range (`statsConversion`'s `collectJoined`: the
 * table's lines written by the workers, no contig's counts kept): each contig's lines, one after
 * the other, and one set of counts, those of all of them summed. A task per contig sent its counts
 * back for the main thread to add up: for 20,000 contigs of 20 sites, 20,000 arrays to clone,
 * receive and collect, where the genome's lines need only their sum.
 */
export function runStatsJoined(tasks: readonly StatsTask[], shared: readonly (SharedRows | undefined)[]): TransferredChunk {
  const names = tasks[0]?.table;
  if (!names) throw new Error('stats: a joined group without the table');
  const { writer, scratch } = tableOf(names);
  const sum = emptyCounts(names.haplotypes.length, names.pairs.length, names.stride);
  let out = NO_BYTES;
  let length = 0;
  for (let k = 0; k < tasks.length; k++) {
    const task = tasks[k] as StatsTask;
    if (!task.whole) throw new Error(`stats: a joined group's range of ${task.contig} is not the whole contig`);
    const counts = countRows(task, shared[k], true);
    writer.scope(task.contig, scopeNumbers(counts, names, scratch));
    addCounts(sum, counts);
    const bytes = writer.rest(true) ?? NO_BYTES;
    out = appendGroupBytes(length, bytes);
    length += bytes.length;
  }
  return { bytes: out.subarray(0, length), lines: 0, data: sum };
}

/** Counts of nothing, for `width` haplotypes, `pairs` pairs and `stride` codes. */
export function emptyCounts(width: number, pairs: number, stride: number): StatsCounts {
  return { sites: 0, variableSites: 0, multiallelicSites: 0, cells: new Float64Array(width * stride), stride, pairCalled: new Float64Array(pairs), pairHet: new Float64Array(pairs) };
}

/** Adds `counts` into `into`, whose stride is at least as large (no code of `counts` is left out); returns `into`. */
export function addCounts(into: StatsCounts, counts: StatsCounts): StatsCounts {
  if (counts.stride > into.stride) throw new RangeError(`statistics: counts of ${counts.stride} alleles added to counts of ${into.stride}`);
  into.sites += counts.sites;
  into.variableSites += counts.variableSites;
  into.multiallelicSites += counts.multiallelicSites;
  // Plain loops over locals, no callback per pair: a joined group adds every contig's counts.
  const { stride: to, cells: sum } = into;
  const { stride: from, cells } = counts;
  const width = from === 0 ? 0 : cells.length / from;
  for (let h = 0; h < width; h++) {
    for (let c = 0; c < from; c++) sum[h * to + c] = (sum[h * to + c] as number) + (cells[h * from + c] as number);
  }
  const { pairCalled, pairHet } = counts;
  const { pairCalled: calledSum, pairHet: hetSum } = into;
  for (let p = 0; p < pairCalled.length; p++) {
    calledSum[p] = (calledSum[p] as number) + (pairCalled[p] as number);
    hetSum[p] = (hetSum[p] as number) + (pairHet[p] as number);
  }
  return into;
}

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

/**
 * Counts rows of a task. With `reuse`, the counts are in the worker's scratch, valid until the
 * next such call (a joined group's contig's, summed and formatted at once): 20,000 contigs made
 * 35 MB of counts arrays for the collector otherwise.
 */
function countRows(task: StatsTask, shared?: SharedRows, reuse = false): StatsCounts {
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
  //
  // The same pass ORs each row's allele mask (layout/alt-rule.ts), from which the alt rule below
  // reads most rows without visiting their cells again across the columns.
  const histograms = histogramScratch(width);
  const masks = maskScratch(rows);
  let largest = -1;
  for (let h = 0; h < width; h++) {
    const codes = haplotypes[h] as Uint8Array;
    const at = h * 256;
    for (let r = start, i = 0; r < end; r++, i++) {
      const code = codes[r] as number;
      (histograms[at + code] as number)++;
      masks[i] = (masks[i] as number) | (ALLELE_BIT[code] as number);
      if (code > largest) largest = code;
    }
  }
  const stride = largest + 1;
  // One buffer for all the counts (cells, then each pair's called and heterozygous sites): one
  // ArrayBuffer to clone back to the main thread instead of three, for every task.
  const pairs = task.pairs.length;
  const size = width * stride + 2 * pairs;
  if (reuse && countScratch.length < size) countScratch = new Float64Array(Math.max(size, 2 * countScratch.length));
  const counts = reuse ? countScratch.subarray(0, size) : new Float64Array(size);
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
  const missingBit = missingBitOf(missing);
  let variableSites = 0;
  let multiallelicSites = 0;
  for (let r = start, i = 0; r < end; r++, i++) {
    const refCode = ref[r] as number;
    const mask = altBits(masks[i] as number, refCode, missingBit);
    masks[i] = 0; // the scratch is all zeros again for the next task
    if (mask === 0) continue;
    // One bit per alt allele, unless a rarer code is among the cells: then cell by cell.
    const altCount = mask & RARE_BIT ? altAlleles(haplotypes, r, refCode, missing, seen, alts, 2) : mask & (mask - 1) ? 2 : 1;
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

/** Per-worker counts of a joined group's contig (`countRows` with `reuse`). */
let countScratch = new Float64Array(0);

/** Per-worker scratch of the alt rule. */
const altTables = altScratch();

/** Per-worker row masks, all zeros between tasks. */
let maskBytes = new Uint8Array(0);

/** Zeroed masks of `rows` rows. */
function maskScratch(rows: number): Uint8Array {
  if (maskBytes.length < rows) maskBytes = new Uint8Array(rows);
  return maskBytes;
}

/** Per-worker histogram scratch, all zeros between tasks. */
let scratch = new Uint32Array(0);

/** Zeroed histograms of 256 codes for `width` haplotypes. */
function histogramScratch(width: number): Uint32Array {
  if (scratch.length < width * 256) scratch = new Uint32Array(width * 256);
  return scratch;
}
