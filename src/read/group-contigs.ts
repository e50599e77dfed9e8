// After a parallel parse every chunk holds its rows at the start of its own row region, in file
// order. This plans where each contig's rows go so that a contig becomes one row range (contigs in
// order of first appearance, each contig's rows in file order), and moves them there.

import { stringBytes, type ContigNames, type NameBytes } from '../layout/contig-names.js';
import { sharedFloat64 } from '../layout/shared-numbers.js';
import { COLUMN_ALIGNMENT, type BufferRef } from '../layout/matrix-layout.js';
import { nativeGrouping, type GroupingBinding } from '../native.js';
import { stringHash } from '../layout/name-hash.js';
import { RUN_NUMBERS, runName, runNames, type ContigRuns, type PlaceTask } from '../worker/messages.js';
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
   * collections while the workers waited for the plan). The names are where the parse put them,
   * made strings only when asked for (layout/contig-names.ts).
   */
  names: ContigNames;
  starts: Float64Array;
  rows: Float64Array;
  /** The sum of `rows`. */
  sites: number;
  /** 0, 1, ... up to the last contig's index, in shared memory (the batch table's contig of each batch: layout/batch-table.ts). */
  contigs: Float64Array;
  /** In the order they must run when done in place. */
  moves: RowMove[];
  /** Rows the buffers need, alignment padding included. */
  extent: number;
  /** True when running `moves` in order inside the same buffers never overwrites rows not yet moved. */
  inPlace: boolean;
}

/**
 * A chunk's runs as the grouping keeps them: as the parse handed them, where its rows start, each
 * run's contig, and where its names start in all chunks' names one after the other (a tab after
 * each chunk's, as between its names).
 */
interface GroupedChunk {
  runs: ContigRuns;
  src: number;
  contigs: Int32Array;
  namesAt: number;
}

/**
 * Contig runs grouped by contig as they come, chunk after chunk in file order. The load adds each
 * chunk's runs as its parse result arrives, while the workers parse the next chunks; what is left
 * once the last chunk is in is `plan`, two passes over numbers.
 *
 * A chunk's runs are kept as the parse handed them (`ContigRuns`), with the number of each run's
 * contig beside them: adding a chunk is one loop over its numbers, with no call and no object or
 * list entry per run, and the contigs' own numbers (name hash, rows) are typed arrays sized once
 * per chunk. The main thread runs this while the workers wait for their next parse task (it is
 * what hands them out), and it runs mostly before V8 has optimised it: 100,000 contigs' runs
 * added one call and five list pushes at a time held it 70-87 ms, spread over the parse (29-40 ms
 * this way; docs/internals.md, "Loops that run before they are optimised").
 * Contigs are found by the hash of their name, which the parse workers compute
 * (layout/name-hash.ts), in a table of numbers: a Map of 100,000 new strings cost the main thread
 * more than the workers' whole parse of their runs. A contig's name stays where its first run's
 * is, in its chunk's names (`ContigRuns.names`): a string is made of it only to tell two contigs
 * of one hash apart, or when the layout's names are read.
 *
 * With the binding (`nativeGrouping`), its loops over the runs and the contigs run instead of
 * these, on the same arrays: 100,000 contigs' runs grouped and planned by these loops held the
 * main thread 50-65 ms, by the binding's 25-29 ms, most of it the first touch of the arrays'
 * memory (docs/internals.md, "Loops that run before they are optimised").
 */
export class ContigGrouping {
  private readonly chunks: GroupedChunk[] = [];
  /** Contigs met (also those whose runs have no rows, as a skipped contig's), numbered in order of first appearance. */
  private count = 0;
  /**
   * Per contig: its name hash, its rows, and where its name is (that of its first run: chunk and
   * run; first character in all chunks' names (see `GroupedChunk`) and length, in shared memory,
   * as the span tasks read them: `PlacedNames.bytes`).
   */
  private hashes = new Int32Array(64);
  /** In shared memory: the plan's rows, in place (`plan`). */
  private rows = sharedFloat64(64);
  private nameChunk = new Int32Array(64);
  private nameRun = new Int32Array(64);
  private nameStart = sharedFloat64(64);
  private nameLength = sharedFloat64(64);
  /** Characters of all chunks' names so far (a tab after each chunk's), and the longest name. */
  private namesLength = 0;
  private longestName = 0;
  /** Open addressing over the contigs' hashes: contig + 1, 0 for an empty slot; at most half full. */
  private table = new Int32Array(128);
  private keptRows = 0;

  /** The binding's state for `groupRuns` (see `addNative`). */
  private readonly nativeState = new Float64Array(9);
  /** Whether `plan` ran: it takes the grouping's rows for its own. */
  private planned = false;

  /**
   * `expectedChunks`: the chunks the load will add, when known (the table is sized ahead for them);
   * `native`: the binding's loops (null: this class's own).
   */
  constructor(
    private readonly expectedChunks = 0,
    private readonly native: GroupingBinding | null = nativeGrouping ?? null,
  ) {}

  /** Every contig met, in order of first appearance. */
  get names(): string[] {
    return Array.from({ length: this.count }, (_, contig) => this.nameOf(contig));
  }

  /** Whether contig `name` was met. */
  has(name: string): boolean {
    const hash = stringHash(name);
    const { table } = this;
    const mask = table.length - 1;
    for (let i = hash & mask; table[i] !== 0; i = (i + 1) & mask) {
      const contig = (table[i] as number) - 1;
      if (this.hashes[contig] === hash && this.nameOf(contig) === name) return true;
    }
    return false;
  }

  /**
   * A run of `rows` rows of contig `name` (whose `nameHash` is `hash`) at row `src` of the parse
   * regions; a run without rows only marks its contig as met.
   */
  add(name: string, src: number, rows: number, hash = stringHash(name)): void {
    this.addRuns(contigRuns([{ contig: name, rows, hash }]), src);
  }

  /**
   * A chunk's runs, its rows from row `src` of the parse regions on (each run's rows right after
   * the previous run's); a run that skipped its lines only marks its contig as met. The grouping
   * keeps `runs`: they must not change after.
   */
  addRuns(runs: ContigRuns, src: number): void {
    const { numbers } = runs;
    const n = numbers.length / RUN_NUMBERS;
    const chunk = this.chunks.length;
    const contigs = new Int32Array(n);
    const namesAt = this.namesLength;
    this.chunks.push({ runs, src, contigs, namesAt });
    this.namesLength += runs.names.length + 1;
    this.reserve(n);
    if (this.native) return this.addNative(this.native, runs, contigs, chunk, namesAt);
    const { table, hashes, rows, nameChunk, nameRun, nameStart, nameLength } = this;
    const mask = table.length - 1;
    let count = this.count;
    let kept = 0;
    let longest = this.longestName;
    for (let k = 0; k < n; k++) {
      const at = RUN_NUMBERS * k;
      const hash = (numbers[at + 4] as number) | 0;
      let i = hash & mask;
      let contig = -1;
      for (let entry = table[i] as number; entry !== 0; entry = table[(i = (i + 1) & mask)] as number) {
        if (hashes[entry - 1] === hash && this.nameOf(entry - 1) === runName(runs, k)) {
          contig = entry - 1;
          break;
        }
      }
      // A skipped run's lines are not rows.
      const runRows = (numbers[at + 3] as number) < 0 ? (numbers[at] as number) : 0;
      if (contig < 0) {
        contig = count++;
        table[i] = count;
        hashes[contig] = hash;
        // Set, not added to: a float64 read is a new heap number to code not yet optimised.
        rows[contig] = runRows;
        nameChunk[contig] = chunk;
        nameRun[contig] = k;
        nameStart[contig] = namesAt + (numbers[at + 5] as number);
        const length = numbers[at + 6] as number;
        nameLength[contig] = length;
        if (length > longest) longest = length;
      } else if (runRows > 0) rows[contig] = (rows[contig] as number) + runRows;
      contigs[k] = contig;
      kept += runRows;
    }
    this.count = count;
    this.keptRows += kept;
    this.longestName = longest;
  }

  /**
   * `addRuns` by the binding's loop, which stops where a contig has the hash of a run (its
   * `state[7]`) for the names to be compared here; it goes on with the run as that contig when
   * they match, else with the next slot of the table.
   */
  private addNative(native: GroupingBinding, runs: ContigRuns, contigs: Int32Array, chunk: number, namesAt: number): void {
    const state = this.nativeState;
    state.set([0, -1, this.count, chunk, namesAt, this.longestName, 0, -1, -1]);
    for (;;) {
      native.groupRuns(runs.numbers, contigs, this.table, this.hashes, this.rows, this.nameChunk, this.nameRun, this.nameStart, this.nameLength, state);
      const contig = state[7] as number;
      if (contig < 0) break;
      if (this.nameOf(contig) === runName(runs, state[0] as number)) state[8] = contig;
      else state[1] = ((state[1] as number) + 1) & (this.table.length - 1);
    }
    this.count = state[2] as number;
    this.longestName = state[5] as number;
    this.keptRows += state[6] as number;
  }

  /** The name of contig `contig`: that of its first run. */
  private nameOf(contig: number): string {
    const chunk = this.chunks[this.nameChunk[contig] as number] as GroupedChunk;
    return nameIn(chunk.runs.names, chunk.namesAt, this.nameStart[contig] as number, this.nameLength[contig] as number);
  }

  /** Room for `more` contigs: the per-contig arrays grown, the table kept at most half full. */
  private reserve(more: number): void {
    const needed = this.count + more;
    if (needed <= this.hashes.length && 2 * needed <= this.table.length) return;
    // Sized for the contigs the chunks still to come would add at this chunk's rate (at most 16
    // times those needed now), and a chunk's more: each chunk reserves room for all its runs, the
    // first of which often goes on with the last chunk's contig (100,000 contigs in 16 chunks
    // asked for one more than 16 times the first's, and the last chunk copied them all). Each
    // larger array is new memory, whose first touch costs more than the loops that fill it (3 ms
    // a MiB here; 100,000 contigs grouped by the binding into arrays grown twofold: 25-27 ms of
    // the main thread, sized ahead 15-21 ms), and each new table a pass over every contig met.
    // The table, whose entries go anywhere in it, at most half full; the arrays, which fill from
    // their start, are only touched as far as they hold contigs.
    const remaining = Math.max(1, this.expectedChunks - this.chunks.length + 1);
    const expected = Math.max(needed, Math.min(16 * needed, this.count + more * remaining) + more);
    if (needed > this.hashes.length) {
      const size = Math.max(expected, 2 * this.hashes.length);
      this.hashes = grown(this.hashes, new Int32Array(size));
      this.rows = grown(this.rows, sharedFloat64(size));
      this.nameChunk = grown(this.nameChunk, new Int32Array(size));
      this.nameRun = grown(this.nameRun, new Int32Array(size));
      this.nameStart = grown(this.nameStart, sharedFloat64(size));
      this.nameLength = grown(this.nameLength, sharedFloat64(size));
    }
    if (2 * needed <= this.table.length) return;
    let size = this.table.length;
    while (2 * expected > size) size *= 2;
    const table = new Int32Array(size);
    if (this.native) this.native.hashTable(this.hashes, this.count, table);
    else {
      const mask = size - 1;
      const { hashes } = this;
      for (let contig = 0; contig < this.count; contig++) {
        let i = (hashes[contig] as number) & mask;
        while (table[i] !== 0) i = (i + 1) & mask;
        table[i] = contig + 1;
      }
    }
    this.table = table;
  }

  /** Whether any run has rows. */
  get empty(): boolean {
    return this.keptRows === 0;
  }

  /**
   * Where each contig's rows go. A contig of `COLUMN_ALIGNMENT` rows or more starts on a
   * `COLUMN_ALIGNMENT`-row boundary (its one-byte segments 64-byte aligned); a smaller one follows
   * the previous contig directly, so many small contigs neither pad the columns nor each cost a
   * move per column (native-layout/README.md, "Alignment"). `capacity`: rows of the parse regions.
   */
  plan(capacity: number): RowPlan {
    if (this.planned) throw new Error('a contig grouping is planned once');
    this.planned = true;
    // In shared memory: they become the layout's batch table (layout/batch-table.ts). The sizes
    // are the grouping's rows, moved down over the contigs without rows: new memory costs more
    // here than the loops that fill it (see `reserve`), so the plan makes as little as it can.
    const starts = sharedFloat64(this.count);
    const sizes = this.rows;
    // Each contig's next row as the moves are planned (-1: no rows), then the contigs' numbers.
    let count: number;
    let moves: RowMove[];
    let next: Int32Array | Float64Array;
    if (this.native) {
      next = sharedFloat64(this.count);
      count = this.native.placeContigs(this.rows, this.count, starts, sizes, next, COLUMN_ALIGNMENT);
      moves = this.nativeMoves(this.native, next);
    } else {
      // Int32 when the rows fit: a float64 read is a new heap number to code not yet optimised.
      next = this.keptRows < 2 ** 31 - 2 * COLUMN_ALIGNMENT * this.count ? new Int32Array(this.count) : sharedFloat64(this.count);
      count = this.place(starts, sizes, next);
      moves = this.moves(next);
    }
    const dest = count === 0 ? 0 : (starts[count - 1] as number) + (sizes[count - 1] as number);
    const names = this.plannedNames(count, next);
    // A Float64Array `next` is in shared memory (both branches above): its memory serves again.
    const contigs = contigNumbers(next instanceof Float64Array ? next.subarray(0, count) : sharedFloat64(count));
    // In place is safe when no move writes over the source of a move that runs after it.
    let inPlace = dest <= capacity;
    let laterSrc = Infinity;
    for (let i = moves.length - 1; i >= 0 && inPlace; i--) {
      const later = moves[i] as RowMove;
      if (later.dest + later.rows > laterSrc) inPlace = false;
      laterSrc = Math.min(laterSrc, later.src);
    }
    return { names, starts: starts.subarray(0, count), rows: sizes.subarray(0, count), sites: this.keptRows, contigs, moves, extent: dest, inPlace };
  }

  /**
   * The names of the `count` contigs with rows (all of them, unless a selection skipped some),
   * where they are; `next`: -1 for each contig without rows.
   */
  private plannedNames(count: number, next: Int32Array | Float64Array): ContigNames {
    const texts = this.chunks.map((chunk) => chunk.runs.names);
    const textsAt = this.chunks.map((chunk) => chunk.namesAt);
    if (count === this.count) {
      return new PlacedNames(texts, textsAt, this.namesLength, this.nameChunk.subarray(0, count), this.nameRun.subarray(0, count), this.nameStart.subarray(0, count), this.nameLength.subarray(0, count), this.longestName);
    }
    const chunkOf = new Int32Array(count);
    const runOf = new Int32Array(count);
    const startOf = sharedFloat64(count);
    const lengthOf = sharedFloat64(count);
    let longest = 0;
    for (let contig = 0, i = 0; contig < this.count; contig++) {
      if ((next[contig] as number) < 0) continue;
      chunkOf[i] = this.nameChunk[contig] as number;
      runOf[i] = this.nameRun[contig] as number;
      startOf[i] = this.nameStart[contig] as number;
      lengthOf[i++] = this.nameLength[contig] as number;
      longest = Math.max(longest, this.nameLength[contig] as number);
    }
    return new PlacedNames(texts, textsAt, this.namesLength, chunkOf, runOf, startOf, lengthOf, longest);
  }

  /**
   * The plan's pass over the contigs (see `plan`): each contig with rows gets its first row and
   * rows at the next index of `starts` and `sizes` (which may be the grouping's `rows`: each is
   * read before its index is written), and its first row in `next` (indexed by contig; -1 for a
   * contig without rows); returns how many.
   */
  private place(starts: Float64Array, sizes: Float64Array, next: Int32Array | Float64Array): number {
    const { rows } = this;
    let count = 0;
    let dest = 0;
    for (let contig = 0; contig < this.count; contig++) {
      const total = rows[contig] as number;
      if (total === 0) {
        next[contig] = -1;
        continue;
      }
      if (total >= COLUMN_ALIGNMENT) dest = Math.ceil(dest / COLUMN_ALIGNMENT) * COLUMN_ALIGNMENT;
      next[contig] = dest;
      starts[count] = dest;
      sizes[count++] = total;
      dest += total;
    }
    return count;
  }

  /**
   * The plan's pass over the runs, in file order: each run's rows go to its contig's next row
   * (`next`, advanced), one move for runs that follow each other in the file and in the plan.
   * The moves are returned in the order of their targets, the order they must run in when done in
   * place: a file's runs come in that order unless a contig is met again after another.
   */
  private moves(next: Int32Array | Float64Array): RowMove[] {
    const moves: RowMove[] = [];
    // The open move, as numbers (an object is made as it closes).
    let src = 0;
    let dest = -1;
    let rows = 0;
    let ordered = true;
    for (const chunk of this.chunks) {
      const { numbers } = chunk.runs;
      const { contigs } = chunk;
      let from = chunk.src;
      for (let k = 0; k < contigs.length; k++) {
        const at = RUN_NUMBERS * k;
        const n = numbers[at] as number;
        if (n > 0 && (numbers[at + 3] as number) < 0) {
          const contig = contigs[k] as number;
          const to = next[contig] as number;
          next[contig] = to + n;
          if (src + rows === from && dest + rows === to) rows += n;
          else {
            if (dest >= 0) moves.push({ src, dest, rows });
            if (to < dest) ordered = false;
            src = from;
            dest = to;
            rows = n;
          }
        }
        from += n;
      }
    }
    if (dest >= 0) moves.push({ src, dest, rows });
    return ordered ? moves : inTargetOrder(moves);
  }

  /** `moves` by the binding's loop, a call a chunk. */
  private nativeMoves(native: GroupingBinding, next: Float64Array): RowMove[] {
    const moves: RowMove[] = [];
    // The open move (source, target, rows) and whether the moves are in target order so far.
    const state = Float64Array.of(0, -1, 0, 1);
    const out = new Float64Array(3 * this.chunks.reduce((most, chunk) => Math.max(most, chunk.contigs.length), 0));
    for (const chunk of this.chunks) {
      const closed = native.chunkMoves(chunk.runs.numbers, chunk.contigs, next, chunk.src, state, out);
      for (let i = 0; i < 3 * closed; i += 3) moves.push({ src: out[i] as number, dest: out[i + 1] as number, rows: out[i + 2] as number });
    }
    const [src, dest, rows] = state as unknown as [number, number, number];
    if (dest >= 0) moves.push({ src, dest, rows });
    return state[3] === 1 ? moves : inTargetOrder(moves);
  }
}

/**
 * The name `length` characters long from character `start` of all chunks' names one after the
 * other, in its chunk's names `text`, which start at character `textAt` of them.
 */
function nameIn(text: string, textAt: number, start: number, length: number): string {
  const from = start - textAt;
  return text.slice(from, from + length);
}

/**
 * Contig names where the parse put them (`ContigRuns.names`): contig `c`'s is run `run[c]` of
 * chunk `chunk[c]`, `length[c]` characters from character `start[c]` of the chunks' texts one
 * after the other (text `i` from `textsAt[i]`, a tab after each, `textsLength` in all).
 */
class PlacedNames implements ContigNames {
  private madeStrings: string[] | undefined;
  private madeBytes: NameBytes | undefined;

  constructor(
    private readonly texts: readonly string[],
    private readonly textsAt: readonly number[],
    private readonly textsLength: number,
    private readonly chunk: Int32Array,
    private readonly run: Int32Array,
    private readonly start: Float64Array,
    private readonly length: Float64Array,
    private readonly longest: number,
  ) {}

  get count(): number {
    return this.chunk.length;
  }

  get stringsMade(): boolean {
    return this.madeStrings !== undefined;
  }

  name(c: number): string {
    const chunk = this.chunk[c] as number;
    return nameIn(this.texts[chunk] as string, this.textsAt[chunk] as number, this.start[c] as number, this.length[c] as number);
  }

  /** Each chunk's names split at once (one call a chunk, not a slice per name), each contig's taken from its chunk's. */
  strings(): string[] {
    if (!this.madeStrings) {
      const runs = this.texts.map(runNames);
      this.madeStrings = pickNames(runs, this.chunk, this.run);
    }
    return this.madeStrings;
  }

  /**
   * The chunks' names written one after the other as they are, a tab after each chunk's (as between
   * its names), when all are ASCII (each character a byte): each contig's name is then where the
   * grouping noted it, with nothing made per name.
   */
  bytes(): NameBytes {
    if (this.madeBytes) return this.madeBytes;
    const { texts, textsAt } = this;
    if (texts.some((text) => Buffer.byteLength(text, 'utf8') !== text.length)) return (this.madeBytes = stringBytes(this.strings()));
    const names = Buffer.from(new SharedArrayBuffer(this.textsLength));
    for (let i = 0; i < texts.length; i++) {
      const at = textsAt[i] as number;
      names[at + names.write(texts[i] as string, at, 'latin1')] = 9;
    }
    return (this.madeBytes = { names: new Uint8Array(names.buffer), start: this.start, length: this.length, ascii: true, longest: this.longest });
  }
}

/** Name `run[c]` of `runs[chunk[c]]` for each contig `c` (a loop of its own, compiled alone). */
function pickNames(runs: readonly string[][], chunk: Int32Array, run: Int32Array): string[] {
  const names = new Array<string>(chunk.length);
  for (let c = 0; c < chunk.length; c++) names[c] = (runs[chunk[c] as number] as string[])[run[c] as number] as string;
  return names;
}

/** `numbers` set to 0, 1, ...: a loop of its own, compiled alone. */
function contigNumbers(numbers: Float64Array): Float64Array {
  for (let i = 0; i < numbers.length; i++) numbers[i] = i;
  return numbers;
}

/** `values` copied to the start of `into`. */
function grown<T extends Int32Array | Float64Array>(values: T, into: T): T {
  into.set(values);
  return into;
}

/** Moves sorted by their target rows, those that then follow each other in source and target joined. */
function inTargetOrder(moves: RowMove[]): RowMove[] {
  moves.sort((a, b) => a.dest - b.dest);
  const joined: RowMove[] = [];
  for (const move of moves) {
    const last = joined[joined.length - 1];
    if (last && last.src + last.rows === move.src && last.dest + last.rows === move.dest) last.rows += move.rows;
    else joined.push(move);
  }
  return joined;
}

/** Runs of `rows` rows each (none skipped, no POS), as a parse hands them back; `hash`: the name's unless given. */
function contigRuns(runs: readonly { contig: string; rows: number; hash?: number }[]): ContigRuns {
  const numbers = new Int32Array(RUN_NUMBERS * runs.length);
  let start = 0;
  runs.forEach((run, k) => {
    numbers.set([run.rows, 0, 0, -1, run.hash ?? stringHash(run.contig), start, run.contig.length], RUN_NUMBERS * k);
    start += run.contig.length + 1;
  });
  return { names: runs.map((run) => run.contig).join('\t'), numbers };
}

/** The plan of `runs` (see `ContigGrouping.plan`): contigs in order of first appearance, each one row range. */
export function planContigs(runs: readonly PlacedRun[], capacity: number, native: GroupingBinding | null = nativeGrouping ?? null): RowPlan {
  const grouping = new ContigGrouping(0, native);
  // Runs that follow each other are added as one chunk's, as a parse result's are.
  let from = 0;
  for (let k = 1; k <= runs.length; k++) {
    const run = runs[k];
    const previous = runs[k - 1] as PlacedRun;
    if (run && run.src === previous.src + previous.rows) continue;
    grouping.addRuns(contigRuns(runs.slice(from, k)), (runs[from] as PlacedRun).src);
    from = k;
  }
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
