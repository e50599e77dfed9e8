// After a parallel parse every chunk holds its rows at the start of its own row region, in file
// order. This plans where each contig's rows go so that a contig becomes one row range (contigs in
// order of first appearance, each contig's rows in file order), and moves them there.

import { COLUMN_ALIGNMENT, type BufferRef } from '../layout/matrix-layout.js';
import { stringHash } from '../layout/name-hash.js';
import { NumberList } from '../layout/number-list.js';
import type { PlaceTask } from '../worker/messages.js';
import { allocateColumnStore, columnWidth, type ColumnStore, type Segment } from './column-store.js';

/** Rows `[src, src + rows)` of the parse regions holding one run of `contig`. */
export interface PlacedRun {
  contig: string;
  src: number;
  rows: number;
}

export interface RowMove {
  src: number;
  dest: number;
  rows: number;
}

export interface RowPlan {
  /**
   * The contigs with rows, in order of first appearance, and each one's final row range
   * `[starts[i], starts[i] + rows[i])` in the column buffers: numbers, not an object per contig
   * (the load makes a batch per contig of them, and 20,000 objects more cost the main thread its
   * collections while the workers waited for the plan).
   */
  names: string[];
  starts: Float64Array;
  rows: Float64Array;
  /** In the order they must run when done in place. */
  moves: RowMove[];
  /** Rows the buffers need, alignment padding included. */
  extent: number;
  /** True when running `moves` in order inside the same buffers never overwrites rows not yet moved. */
  inPlace: boolean;
}

/**
 * Contig runs grouped by contig as they come, chunk after chunk in file order, with no object per
 * run: a contig's runs are a chain of run numbers. The load adds each chunk's runs as its parse
 * result arrives, while the workers parse the next chunks, so that what is left once the last
 * chunk is in is `plan`, a pass over numbers. Contigs are found by the hash of their name, which
 * the parse workers compute (layout/name-hash.ts), in a table of numbers: a Map of 100,000 new
 * strings cost the main thread more than the workers' whole parse of their runs.
 */
export class ContigGrouping {
  /** Every contig met, in order of first appearance (also those whose runs have no rows, as a skipped contig's). */
  readonly names: string[] = [];
  /** Each contig's name hash, and the open-addressing table over them (contig + 1; 0: empty). */
  private readonly hashes = new NumberList();
  private table = new Int32Array(1024);
  /** Per run: its first row in the parse regions, its rows, and the contig's next run (-1: none). */
  private readonly src = new NumberList();
  private readonly rows = new NumberList();
  private readonly next = new NumberList();
  /** Per contig: its first and last run (-1: none with rows). */
  private readonly first = new NumberList();
  private readonly last = new NumberList();
  private previous = -1;

  /** Whether contig `name` was met. */
  has(name: string): boolean {
    return this.find(name, stringHash(name)) >= 0;
  }

  /**
   * A run of `rows` rows of contig `name` (whose `nameHash` is `hash`) at row `src` of the parse
   * regions; a run without rows only marks its contig as met.
   */
  add(name: string, src: number, rows: number, hash = stringHash(name)): void {
    // A sorted file's runs of one contig follow each other: no lookup for those.
    let contig = this.previous >= 0 && this.names[this.previous] === name ? this.previous : this.find(name, hash);
    if (contig < 0) {
      contig = this.names.length;
      this.names.push(name);
      this.hashes.push(hash);
      this.first.push(-1);
      this.last.push(-1);
      if (2 * this.names.length > this.table.length) this.rehash(2 * this.table.length);
      else this.table[-1 - this.slot] = contig + 1;
    }
    this.previous = contig;
    if (rows === 0) return;
    const run = this.src.length;
    this.src.push(src);
    this.rows.push(rows);
    this.next.push(-1);
    const last = this.last.values[contig] as number;
    if (last < 0) this.first.values[contig] = run;
    else this.next.values[last] = run;
    this.last.values[contig] = run;
  }

  /** The slot `find` stopped at: its table index when found, else -1 - the empty slot the name would take. */
  private slot = 0;

  /** The contig named `name` (hash `hash`), or -1. */
  private find(name: string, hash: number): number {
    const { table, names } = this;
    const hashes = this.hashes.values;
    const mask = table.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const entry = table[i] as number;
      if (entry === 0) {
        this.slot = -1 - i;
        return -1;
      }
      const contig = entry - 1;
      if (hashes[contig] === hash && names[contig] === name) {
        this.slot = i;
        return contig;
      }
    }
  }

  /** The table made again at `size` slots (a power of two), every contig in it. */
  private rehash(size: number): void {
    const table = new Int32Array(size);
    const mask = size - 1;
    const hashes = this.hashes.values;
    for (let contig = 0; contig < this.hashes.length; contig++) {
      let i = (hashes[contig] as number) & mask;
      while (table[i] !== 0) i = (i + 1) & mask;
      table[i] = contig + 1;
    }
    this.table = table;
  }

  /** Whether any run has rows. */
  get empty(): boolean {
    return this.src.length === 0;
  }

  /**
   * Where each contig's rows go. A contig of `COLUMN_ALIGNMENT` rows or more starts on a
   * `COLUMN_ALIGNMENT`-row boundary (its one-byte segments 64-byte aligned); a smaller one follows
   * the previous contig directly, so many small contigs neither pad the columns nor each cost a
   * move per column (native-layout/README.md, "Alignment"). `capacity`: rows of the parse regions.
   */
  plan(capacity: number): RowPlan {
    // Sized once (a contig's name at most once), then cut to the contigs with rows.
    const names = new Array<string>(this.names.length);
    const starts = new Float64Array(this.names.length);
    const sizes = new Float64Array(this.names.length);
    const moves: RowMove[] = [];
    const count = this.place(names, starts, sizes, moves);
    const dest = count === 0 ? 0 : (starts[count - 1] as number) + (sizes[count - 1] as number);
    names.length = count;
    // In place is safe when no move writes over the source of a move that runs after it.
    let inPlace = dest <= capacity;
    let laterSrc = Infinity;
    for (let i = moves.length - 1; i >= 0 && inPlace; i--) {
      const later = moves[i] as RowMove;
      if (later.dest + later.rows > laterSrc) inPlace = false;
      laterSrc = Math.min(laterSrc, later.src);
    }
    return { names, starts: starts.subarray(0, count), rows: sizes.subarray(0, count), moves, extent: dest, inPlace };
  }

  /**
   * The plan's loop over the contigs (see `plan`): each contig with rows gets its name, first row
   * and rows at the next index of `names`, `starts` and `sizes`, its runs' moves added to `moves`;
   * returns how many. A function of its own, compiled alone: inside `plan`, V8 compiled the loop
   * mid-way and threw the code away at what follows it.
   */
  private place(names: string[], starts: Float64Array, sizes: Float64Array, moves: RowMove[]): number {
    const src = this.src.values;
    const rows = this.rows.values;
    const next = this.next.values;
    const first = this.first.values;
    let count = 0;
    let move: RowMove | undefined;
    let dest = 0;
    for (let c = 0; c < this.names.length; c++) {
      const head = first[c] as number;
      if (head < 0) continue;
      let total = 0;
      for (let run = head; run >= 0; run = next[run] as number) total += rows[run] as number;
      if (total >= COLUMN_ALIGNMENT) dest = Math.ceil(dest / COLUMN_ALIGNMENT) * COLUMN_ALIGNMENT;
      const start = dest;
      for (let run = head; run >= 0; run = next[run] as number) {
        const from = src[run] as number;
        const n = rows[run] as number;
        if (move && move.src + move.rows === from && move.dest + move.rows === dest) move.rows += n;
        else moves.push((move = { src: from, dest, rows: n }));
        dest += n;
      }
      starts[count] = start;
      sizes[count] = dest - start;
      names[count++] = this.names[c] as string;
    }
    return count;
  }
}

/** The plan of `runs` (see `ContigGrouping.plan`): contigs in order of first appearance, each one row range. */
export function planContigs(runs: readonly PlacedRun[], capacity: number): RowPlan {
  const grouping = new ContigGrouping();
  for (const run of runs) grouping.add(run.contig, run.src, run.rows);
  return grouping.plan(capacity);
}

/** Options of `placeRows`. */
export interface PlaceOptions {
  /** The allele codes' new numbers (the dictionary's canonical order), applied to the one-byte columns on the way. */
  map?: Uint8Array;
  /** Tasks to share the columns among (the worker threads). */
  parts: number;
}

/**
 * Applies a plan to the parsed rows, held in `segments` (in row order; see `Segment`): in place
 * when there is one segment and the plan allows, otherwise into a new store of `plan.extent` rows
 * (few buffers, see column-store.ts), renumbering the allele codes through `map` in the same pass.
 * The columns are shared among `parts` tasks run by `run` (the `place` kernel,
 * worker/place-task.ts): the moves of a seed-shaped load are its whole column memory, which the
 * main thread alone copied while the workers waited.
 */
export async function placeRows(plan: RowPlan, segments: readonly Segment[], run: (task: PlaceTask) => Promise<unknown>, options: PlaceOptions): Promise<ColumnStore> {
  const first = (segments[0] as Segment).store;
  const inPlace = plan.inPlace && segments.length === 1;
  if (inPlace && !options.map && plan.moves.every((move) => move.src === move.dest)) return first;
  const target = inPlace ? first : allocateColumnStore(first.columns.length, plan.extent);
  const buffers = segments.flatMap((segment) => segment.store.buffers);
  if (!inPlace) buffers.push(...target.buffers);
  const targetBuffer = inPlace ? 0 : buffers.length - target.buffers.length;
  const moves = segmentMoves(plan.moves, segments);
  const segmentRows = Float64Array.from(segments, (segment) => segment.store.capacity);
  // Columns cut into runs of about equal bytes (POS is 4 a row, the others 1).
  const total = first.columns.reduce((sum, _, c) => sum + columnWidth(c), 0);
  const tasks: PlaceTask[] = [];
  let part: number[] = [];
  let weight = 0;
  const flush = (): void => {
    if (part.length === 0) return;
    const task: PlaceTask = { kind: 'place', buffers, columns: Float64Array.from(part), segmentRows, moves, targetRows: target.capacity, extent: plan.extent };
    if (options.map) task.map = options.map;
    tasks.push(task);
    part = [];
    weight = 0;
  };
  first.columns.forEach((_, c) => {
    const to = target.columns[c] as BufferRef;
    part.push(targetBuffer + to.buffer, to.byteOffset, columnWidth(c));
    let bufferBase = 0;
    for (const { store } of segments) {
      const from = store.columns[c] as BufferRef;
      part.push(bufferBase + from.buffer, from.byteOffset);
      bufferBase += store.buffers.length;
    }
    weight += columnWidth(c);
    if (weight * options.parts >= total) flush();
  });
  flush();
  await Promise.all(tasks.map(run));
  return target;
}

/**
 * The moves as a place task takes them, four numbers each: segment, row in that segment, target
 * row, rows; a move that crosses from one segment into the next is cut in two.
 */
function segmentMoves(moves: readonly RowMove[], segments: readonly Segment[]): Float64Array {
  const out: number[] = [];
  for (const move of moves) {
    let { src, dest, rows } = move;
    while (rows > 0) {
      const k = segmentOf(segments, src);
      const segment = segments[k] as Segment;
      const next = segments[k + 1];
      const n = Math.min(rows, (next ? next.base : segment.base + segment.store.capacity) - src);
      out.push(k, src - segment.base, dest, n);
      src += n;
      dest += n;
      rows -= n;
    }
  }
  return Float64Array.from(out);
}

/** The last segment whose base is at or before `row` (binary search: the segments are in row order). */
function segmentOf(segments: readonly Segment[], row: number): number {
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((segments[middle] as Segment).base <= row) low = middle;
    else high = middle - 1;
  }
  return low;
}
