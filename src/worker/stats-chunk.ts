// The statistics kernel: counts over rows of one contig, read straight from the allele codes.
// Per haplotype, a histogram of codes (missing and deletion counts, allele counts come from it);
// per site, the alt alleles by the haplotype-table rule; per pair, called and heterozygous sites.
// When the TSV table is written as plain text, the task of a whole contig also writes the contig's
// lines: the contigs' lines are formatted in parallel, and the main thread only sums the counts.
// A span's small contigs are counted and written by the binding when it is there (`statsLines`,
// native/binding.c): the same counts and bytes.

import { alleleBytes } from '../layout/allele-bytes.js';
import { ALLELE_BIT, altAlleles, altBits, altScratch, missingBitOf, RARE_BIT } from '../layout/alt-rule.js';
import { batchViews } from '../layout/matrix-layout.js';
import { lineMiddles, scopeBytesBound, scopeNumbers, scopeScratch, StatsTableWriter, type ScopeScratch } from '../convert/stats-table.js';
import { nativeEncode } from '../native.js';
import type { EncodedChunk, StatsCounts, StatsNames, StatsTask, TransferredChunk } from './messages.js';
import { appendGroupBytes } from './bgzf-task.js';
import { nativeTasks } from './name-scratch.js';
import type { SharedRows, SpanRows } from './shared-views.js';

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
export function runStatsJoined(tasks: readonly StatsTask[], shared: readonly (SharedRows | undefined)[]): EncodedChunk | TransferredChunk {
  const names = tasks[0]?.table;
  if (!names) throw new Error('stats: a joined group without the table');
  for (const task of tasks) if (!task.whole) throw new Error(`stats: a joined group's range of ${task.contig} is not the whole contig`);
  const views = shared[0]?.views;
  if (nativeEncode && views && shared.every((rows) => rows?.views === views)) {
    const { numbers, names: nameBytes } = nativeTasks(tasks, shared, 0, tasks.length);
    const done = nativeStats({ head: tasks[0] as StatsTask, views, numbers, names: nameBytes }, names);
    if (done) return done;
  }
  const { writer, scratch } = tableOf(names);
  const sum = emptyCounts(names.haplotypes.length, names.pairs.length, names.stride);
  let out = NO_BYTES;
  let length = 0;
  for (let k = 0; k < tasks.length; k++) {
    const task = tasks[k] as StatsTask;
    const counts = countRows(task, shared[k], true);
    writer.scope(task.contig, scopeNumbers(counts, names, scratch));
    addCounts(sum, counts);
    const bytes = writer.rest(true) ?? NO_BYTES;
    out = appendGroupBytes(length, bytes);
    length += bytes.length;
  }
  return { bytes: out.subarray(0, length), lines: 0, data: sum };
}

/**
 * The span form (kernels.ts `spanKernels`): the joined form's result, straight from the span's
 * numbers; undefined without the binding or when it does not write this table.
 */
export function runStatsSpan(rows: SpanRows<StatsTask>): EncodedChunk | TransferredChunk | undefined {
  const names = rows.head.table;
  if (!nativeEncode || !names || !rows.head.whole) return undefined;
  return nativeStats(rows, names);
}

/**
 * A joined group's contigs, all over the same views, counted and written by the binding
 * (`statsLines`): the result `runStatsJoined` gives, its lines in the group's output slot, or
 * undefined when the codes of `N` and `-` the table names are not those the counts take (then its
 * own loops do it). When the slot is too small for them all (the driver sizes the next slots from
 * these bytes), the contigs that did not fit go into the worker's own buffer after a copy of those
 * that did.
 */
function nativeStats(rows: SpanRows<StatsTask>, names: StatsNames): EncodedChunk | TransferredChunk | undefined {
  const { head: first, views, numbers, names: nameBytes } = rows;
  const count = numbers.length / 4;
  const { missing, deletion } = alleleBytes(first.alleles);
  if (missing !== names.missingCode || deletion !== names.deletionCode) return undefined;
  const binding = nativeEncode as Required<NonNullable<typeof nativeEncode>>;
  const middles = lineMiddles(names);
  const middleEnds = new Int32Array(middles.length + 1);
  for (let k = 0; k < middles.length; k++) middleEnds[k + 1] = (middleEnds[k] as number) + (middles[k] as Uint8Array).length;
  const middleBytes = Buffer.concat(middles);
  const alleles = Int32Array.from(names.alleles, (allele) => allele.code);
  const pairColumns = Int32Array.from(first.pairs.flat());
  const width = names.haplotypes.length;
  const pairs = first.pairs.length;
  const counts = new Float64Array(width * names.stride + 2 * pairs);
  const state = STATS_STATE.fill(0);
  state[0] = missing;
  state[1] = deletion;
  state[2] = names.stride;
  const run = (out: Uint8Array, from: number, at: number): number => {
    binding.statsLines(binding.rowViews(views.haplotypes, views.pos, views.ref, pairColumns, out), numbers.subarray(4 * from), nameBytes, middleBytes, middleEnds, alleles, at, state, counts);
    return from + (state[7] as number);
  };
  const slot = first.output ?? new Uint8Array(0);
  let done = run(slot, 0, 0);
  let bytes: Uint8Array | undefined;
  if (done < count) {
    let bound = state[3] as number;
    for (let k = done; k < count; k++) bound += scopeBytesBound(middles.length, middleBytes.length, numbers[4 * k + 3] as number);
    if (statsOut.length < bound) statsOut = new Uint8Array(Math.max(bound, 2 * statsOut.length));
    statsOut.set(slot.subarray(0, state[3] as number));
    done = run(statsOut, done, state[3] as number);
    if (done < count) throw new RangeError('stats: output too small for a group\'s lines');
    bytes = statsOut.subarray(0, state[3] as number);
  }
  const cells = width * names.stride;
  const sum: StatsCounts = {
    sites: state[4] as number,
    variableSites: state[5] as number,
    multiallelicSites: state[6] as number,
    cells: counts.subarray(0, cells),
    stride: names.stride,
    pairCalled: counts.subarray(cells, cells + pairs),
    pairHet: counts.subarray(cells + pairs),
  };
  return bytes ? { bytes, lines: 0, data: sum } : { length: state[3] as number, lines: 0, data: sum };
}

/** The binding's numbers in and out of `statsLines`. */
const STATS_STATE = new Float64Array(8);

/** The worker's own output of `statsLines`, for lines its slot has no room for (copied out at once: bgzf-task.ts `handBack`). */
let statsOut = new Uint8Array(0);

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
