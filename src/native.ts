// The optional native binding (native/binding.c), built at install when a C compiler and the
// headers of ISA-L and libdeflate are there (native/build.cjs), and what genomatrix does without it:
// - ISA-L's inflate for gzip and BGZF input (read/inflate.ts; node:zlib without it);
// - libdeflate's deflate for BGZF output (write/bgzf.ts; node:zlib without it);
// - huge pages for large new shared memory (`sharedBuffer`; 4 KiB pages without it);
// - the text parse's common lines (`parseLines`, worker/parse-chunk.ts; its own loop reads every
//   line without it), and the grouping of its contig runs (`groupRuns`, read/group-contigs.ts;
//   its own loops without it);
// - the haplotype table's lines for one-byte alleles (`haplotypeLines`, worker/haplotype-chunk.ts;
//   its own loop writes them without it);
// - the statistics of a span's small contigs and their lines (`statsLines`, worker/stats-chunk.ts;
//   its own loops count and write them without it), and the numbers of a span's tasks for both
//   (`tableTasks`, worker/task-group.ts);
// - ending the command line's process at once (`exitNow`, cli/cli.ts).

import { createRequire } from 'node:module';

/** The binding's functions (native/binding.c). */
export interface Binding {
  /** Bytes written into `dst`, or -1 (damaged data) or -2 (`dst` too small). */
  gunzip(src: Uint8Array, dst: Uint8Array): number;
  createInflater(): object;
  /** `out[0]` = bytes of `src` read, `out[1]` = bytes written into `dst`; -1 for damaged data, else 0. */
  inflate(inflater: object, src: Uint8Array, dst: Uint8Array, out: Uint32Array): number;
  /** Whether the data so far ends at the end of a member. */
  complete(inflater: object): boolean;
  /** `src` as BGZF blocks (no end block) at the start of `dst`, deflated at `level` (0-12): bytes written, or -2 when `dst` has less than 64 KiB of room left for a block. */
  bgzfCompress(src: Uint8Array, dst: Uint8Array, level: number): number;
  /** Asks for transparent huge pages over the 2 MiB-aligned inside of `bytes`' memory: the offset in `bytes` of the first, or -1 when the kernel did not take the advice. */
  adviseHugePages(bytes: Uint8Array): number;
  /** The columns a text parse fills (`codes`: REF, then each haplotype), for `parseLines`. */
  rowParser(codes: Uint8Array[], pos: Int32Array): object;
  /**
   * Parses the lines whose cells are each one byte `lut` knows, from `state[0]`, until another
   * line, `state[1]` (end) or `state[2]` (stop). `state`: p, end, stop, row, last POS, the contig
   * name's length in `contig`, allow unsorted (0 or 1), then the runs in `runs`, the name bytes in
   * `names` and the open run's first row; p, row, last POS, the name's length and the last three
   * are updated, and `state[10]` set to 1 when it stopped for want of room in `runs` or `names`
   * (worker/parse-chunk.ts). A line may start another contig, whose name is 1 to 1,024
   * bytes of printable ASCII, while `runs` and `names` have room: the open run (the last) is
   * closed, and the new one added as the parse's loop adds it (`RUN_NUMBERS` numbers, its name's
   * bytes and a tab after the others; worker/messages.ts `ContigRuns`).
   */
  parseLines(parser: object, buf: Uint8Array, contig: Uint8Array, lut: Int16Array, state: Float64Array, runs: Int32Array, names: Uint8Array): void;
  /** A task's views for `haplotypeLines` and `statsLines` (`pairs`: two column indexes a pair; `out`: where the lines go). */
  rowViews?(columns: Uint8Array[], pos: Int32Array, ref: Uint8Array, pairs: Int32Array, out: Uint8Array): object;
  /**
   * The haplotype table's lines of one or more tasks' rows over the views, one task after the
   * other, for one-byte alleles, from `out[at]` (worker/haplotype-chunk.ts): `tasks` holds four
   * numbers a task (its first row in the views, its rows, its contig name's offset and length in
   * `names`' bytes), `bytes` each code's allele byte; `state` = [code of N, code of -] in (-1:
   * none), [offset after the lines, lines] out.
   */
  haplotypeLines?(views: object, tasks: Float64Array, names: Uint8Array, at: number, bytes: Uint8Array, state: Float64Array): void;
  /**
   * The statistics of tasks each a whole contig, and each one's lines of the table from `out[at]`
   * (worker/stats-chunk.ts): `tasks` and `names` as for `haplotypeLines`; `middles` the
   * `\tstatistic\titem\t` of each line of a contig, line k's from `middleEnds[k]` to
   * `middleEnds[k + 1]`; `alleles` the code of each allele line; `state` = [code of N, code of -,
   * codes in the dictionary] in, [3] the offset after the lines out, [4-6] sites, variable and
   * multi-allelic sites added to; `sum`: each haplotype's cells of each code, then each pair's
   * called and heterozygous sites, added to.
   */
  statsLines?(views: object, tasks: Float64Array, names: Uint8Array, middles: Uint8Array, middleEnds: Int32Array, alleles: Int32Array, at: number, state: Float64Array, sum: Float64Array): void;
  /**
   * The grouping's loop over a chunk's runs (read/group-contigs.ts `ContigGrouping`): from run
   * `state[0]` on, each run's contig into `contigs`, found by its hash in `table` or added to the
   * per-contig arrays; stops at a contig of the run's hash for the caller to compare the names
   * (`state[7]`, `state[1]` its slot), and goes on with `state[8]` the contig they matched, or -1.
   * state = [run, slot to probe from or -1, contigs, chunk, chunk's first name character, longest
   * name, rows kept, contig to compare or -1 (out), matched contig or -1 (in)].
   */
  groupRuns?(numbers: Int32Array, contigs: Int32Array, table: Int32Array, hashes: Int32Array, rows: Float64Array, nameChunk: Int32Array, nameRun: Int32Array, nameStart: Float64Array, nameLength: Float64Array, state: Float64Array): void;
  /** The first `count` contigs' hashes into the empty `table`, as `groupRuns` finds them. */
  hashTable?(hashes: Int32Array, count: number, table: Int32Array): void;
  /** The plan's first rows of the first `count` contigs (read/group-contigs.ts `ContigGrouping.plan`): how many have rows. */
  placeContigs?(rows: Float64Array, count: number, starts: Float64Array, sizes: Float64Array, next: Float64Array, alignment: number): number;
  /** A chunk's runs' moves (`ContigGrouping.plan`), three numbers each into `out`; state = the open move's source, target (-1: none), rows, then 1 while in target order: how many moves closed. */
  chunkMoves?(numbers: Int32Array, contigs: Int32Array, next: Float64Array, from: number, state: Float64Array, out: Float64Array): number;
  /**
   * The four numbers `haplotypeLines` and `statsLines` take a task (first row from the first
   * batch's, rows, name offset and length) for each batch from `first` of a span table
   * (layout/batch-table.ts `SpanTable`), `tasks.length / 4` of them: the rows the views must hold,
   * or -1 when a batch starts before the first one's rows.
   */
  tableTasks?(row: Float64Array, rows: Float64Array, contig: Float64Array, nameStart: Float64Array, nameLength: Float64Array, first: number, tasks: Float64Array): number;
  /** Ends the process at once with exit status `code` (`_exit`): nothing buffered in it is written, no `exit` event runs. */
  exitNow?(code: number): never;
}

function loadBinding(): Binding | undefined {
  try {
    return createRequire(import.meta.url)('../../native/build/Release/genomatrix.node') as Binding;
  } catch {
    return undefined;
  }
}

/** The binding, when it was built. */
export const binding = loadBinding();

/** The binding's parse of common lines, unless `GENOMATRIX_NATIVE_PARSE=0` (the parse's own loop then reads every line). */
export const nativeParse = process.env.GENOMATRIX_NATIVE_PARSE === '0' ? undefined : binding;

/** The binding's grouping of the parse's contig runs, unless `GENOMATRIX_NATIVE_PARSE=0` (the grouping's own loops then run). */
export const nativeGrouping: GroupingBinding | undefined = nativeParse?.groupRuns && nativeParse.hashTable && nativeParse.placeContigs && nativeParse.chunkMoves ? (nativeParse as GroupingBinding) : undefined;

/** The binding's functions that group contig runs. */
export type GroupingBinding = Required<Pick<Binding, 'groupRuns' | 'hashTable' | 'placeContigs' | 'chunkMoves'>>;

/**
 * The binding's haplotype lines for one-byte alleles and statistics of small contigs, unless
 * `GENOMATRIX_NATIVE_ENCODE=0` (the kernels' own loops then count and write every line).
 */
export const nativeEncode = process.env.GENOMATRIX_NATIVE_ENCODE === '0' || !binding?.haplotypeLines || !binding.statsLines || !binding.rowViews ? undefined : binding;

/** The binding's numbers of a span table's tasks (`tableTasks`), unless `GENOMATRIX_NATIVE_ENCODE=0`. */
export const nativeSpanTasks: SpanTasksBinding | undefined = process.env.GENOMATRIX_NATIVE_ENCODE === '0' || !binding?.tableTasks ? undefined : (binding as SpanTasksBinding);

/** The binding's function that makes the numbers of a span table's tasks. */
export type SpanTasksBinding = Required<Pick<Binding, 'tableTasks'>>;

/** Buffers at least this large get huge pages (a huge page is 2 MiB; a smaller buffer holds none). */
const HUGE_PAGE_BYTES = 4 << 20;

/** Whether to ask for huge pages at all. */
const hugePages = process.env.GENOMATRIX_HUGE_PAGES !== '0';

/**
 * A new SharedArrayBuffer of `bytes`, with transparent huge pages asked for when it is large and
 * the binding was built (`GENOMATRIX_HUGE_PAGES=0` asks for none). On the virtual machines measured,
 * the first write to each 4 KiB page of new memory cost 3-5 ms per MiB, 0.85 s of CPU for the seed
 * shape's columns; with huge pages one fault maps 2 MiB, and the seed shape's `haplotype` took 0.78x
 * the time (bench/README.md). Asked for before the first touch: V8 gets the memory from `calloc`,
 * which maps large blocks fresh, untouched.
 */
export function sharedBuffer(bytes: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(bytes);
  if (bytes >= HUGE_PAGE_BYTES && hugePages) binding?.adviseHugePages(new Uint8Array(buffer));
  return buffer;
}

/** A huge page's bytes. */
const HUGE_PAGE = 2 << 20;

/**
 * Shared bytes for output that is written from its first byte on (a conversion's output slots):
 * at least `bytes` of them, starting on a huge page (2 MiB-aligned, the rest of the buffer in front
 * left untouched) when the binding can ask for huge pages and they are at least 1 MiB, then as many
 * as fill the huge pages (a whole one is faulted in at the first write to it). The first write of a
 * slot is to new memory: 512 faults of 4 KiB for each 2 MiB cost 5 ms of CPU here, one huge page's
 * fault 0.1 ms (bench/README.md).
 */
export function hugePageBytes(bytes: number): Uint8Array {
  if (!binding || !hugePages || bytes < HUGE_PAGE / 2) return new Uint8Array(new SharedArrayBuffer(bytes));
  const pages = Math.ceil(bytes / HUGE_PAGE);
  const buffer = new SharedArrayBuffer((pages + 1) * HUGE_PAGE);
  const at = binding.adviseHugePages(new Uint8Array(buffer));
  return at < 0 ? new Uint8Array(buffer, 0, bytes) : new Uint8Array(buffer, at, pages * HUGE_PAGE);
}
