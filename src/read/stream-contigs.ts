// The low-memory loader (--low-memory): the matrix is parsed in file order and handed on one
// contig at a time, so memory holds the largest contig instead of the whole matrix.
//
//   chunks   byte ranges (plain) or inflated line blocks (gzip), parsed by workers a few at a time
//            on the ordered window (dispatch/ordered-window.ts), each into small staging columns of
//            its own (a column store: few buffers a task), handed on in file order;
//   contig   the main thread appends each chunk's rows, in file order, to the contig's columns:
//            fixed-size segments (one batch each), reused from contig to contig;
//   hand-on  when a new contig name appears, the finished contig is yielded as a layout (zero-copy
//            views for the workers, as in memory) and its segments are reused after.
//
// A contig whose rows are split into several runs cannot be streamed this way: that is an error
// naming the line where the contig comes back.

import { InputError, UsageError } from '../errors.js';
import { AlleleDictionary } from '../layout/allele-dictionary.js';
import { LAYOUT_VERSION, type BufferRef, type MatrixLayout } from '../layout/matrix-layout.js';
import { orderedWindow, type WindowTask } from '../dispatch/ordered-window.js';
import type { WorkerPool } from '../dispatch/worker-pool.js';
import { contigRunAt, runCount, type ContigRun, type ParseResult, type ParseTask } from '../worker/messages.js';
import { allocateColumnStore, columnBytes, columnRefNumbers, positions, type ColumnStore } from './column-store.js';
import { GzipLineBlocks, gzipSources } from './gzip-line-blocks.js';
import { readHeaderFile } from './header.js';
import { InputFormat, type InputFile } from './input-format.js';
import { byteRangeSources, DEFAULT_CHUNK_BYTES, rowBound, type Source } from './chunk-plan.js';
import { chunkProblem, plainHeader, unsortedAcrossChunks, type TextLoadOptions } from './load-text.js';
import { emitWarning, UnsortedTally } from './unsorted-tally.js';

/** One contig of a streamed matrix; its buffers are reused once the consumer asks for the next. */
export interface StreamedContig {
  name: string;
  /** Position in file order. */
  index: number;
  samples: string[];
  /** A layout holding this contig only, as one batch per segment. */
  layout: MatrixLayout;
}

/** Options of `streamContigs`: those of a text load, and where to start from. */
export interface StreamOptions extends TextLoadOptions {
  /** Rows of one segment of the contig columns (tests use small ones). */
  segmentRows?: number;
  /** The allele dictionary to parse with (its alleles keep their codes); default: a new one. */
  dictionary?: SharedArrayBuffer | undefined;
  /** Keep only each contig's POS and REF (its layout has no haplotype columns): for a pass that reads positions only. */
  sitesOnly?: boolean;
  /** Free staging column stores to take from and give back to: a second stream of the same input reuses the first's. */
  staging?: ColumnStore[];
}

/** Most rows of one contig in low-memory mode (its POS alone then takes 4 GiB). */
const MAX_CONTIG_ROWS = 2 ** 30 - 64;
/** Rows of one segment of the contig columns (9.4 MB for 31 haplotypes). */
export const SEGMENT_ROWS = 1 << 18;

/** A parsed chunk: its result and the staging columns that hold its rows. */
interface ParsedChunk {
  result: ParseResult;
  staging: ColumnStore;
  /** Input bytes it covers (plain files), for progress. */
  bytes: number;
}

/**
 * Parses a text matrix in file order and yields its contigs one at a time (see the top of this file).
 * The consumer must be done with a contig's layout before it asks for the next one.
 */
export async function* streamContigs(input: InputFile, pool: WorkerPool, options: StreamOptions = {}): AsyncGenerator<StreamedContig> {
  if (input.format === InputFormat.arrow) throw new UsageError(`${input.path}: Arrow IPC input is not supported yet`);
  const headerFile = options.header === undefined ? undefined : readHeaderFile(options.header);
  const chunkBytes = Math.max(1 << 10, options.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  // Parse tasks launched and not yet appended, the chunk being appended included: the workers parse
  // ahead while the main thread appends.
  const window = pool.threads + 2;
  // Standard input, plain or gzip, comes in line blocks read on the main thread, as a gzip file does.
  const stream = input.stream && { readable: input.stream, gzip: input.format === InputFormat.gzip };
  const gzip = input.format === InputFormat.gzip || stream ? new GzipLineBlocks(input.path, chunkBytes, window + 1, stream) : undefined;
  const { header, sources } = gzip ? await gzipSources(input, gzip, headerFile, options.header) : plainSources(input, chunkBytes, headerFile, options.header);
  const fields = header.samples.length + 3;
  // A dictionary given (the second pass of a low-memory VCF run) keeps the codes it holds.
  const alleles = options.dictionary ? AlleleDictionary.attach(options.dictionary) : AlleleDictionary.create();
  const allowUnsorted = options.allowUnsorted ?? false;
  const tally = allowUnsorted ? new UnsortedTally(input.path) : undefined;
  const contig = new ContigColumns(options.sitesOnly ? 3 : fields, options.segmentRows ?? SEGMENT_ROWS);
  const layoutSamples = options.sitesOnly ? [] : header.samples;
  /** Staging columns of appended chunks, reused by the next parse tasks (and by a second stream of the input). */
  const free: ColumnStore[] = options.staging ?? [];
  const finished = new Set<string>();

  /** One parse task a chunk, into staging columns of its own; a gzip block goes back to its reader once parsed. */
  async function* parses(): AsyncGenerator<WindowTask<ParsedChunk>> {
    for await (const next of sources) {
      let staging = free.pop();
      if (!staging || staging.capacity < next.rows) staging = allocateColumnStore(fields - 1, Math.max(next.rows, rowBound(chunkBytes, fields)));
      const task: ParseTask = { kind: 'parse', source: next.source, fields, columns: staging.buffers, columnRefs: columnRefNumbers(staging), alleles: alleles.buffer, rowStart: 0, rowCapacity: next.rows, allowUnsorted };
      if (options.onlyContigs) task.contigs = [...options.onlyContigs];
      const held = staging;
      yield (signal) => pool.run(task, signal).then((result) => ({ result, staging: held, bytes: next.bytes })).finally(() => next.release?.());
    }
  }

  let line = header.lines;
  let bytes = input.size - sources.dataBytes; // the header line counts as read
  let sites = 0;
  let index = 0;
  let previous: ContigRun | undefined;
  for await (const { result, staging, bytes: chunkRead } of orderedWindow(parses(), { window, signal: options.signal })) {
    if (result.damaged !== undefined) throw new InputError({ file: input.path }, result.damaged);
    if (result.problem) throw chunkProblem(input.path, header, line, result.problem);
    tally?.scan(positions(staging), 0, result.runs, line);
    let src = 0;
    let at = line;
    for (let k = 0, count = runCount(result.runs); k < count; k++) {
      // An object per run here: a streamed contig is a unit of its own anyway.
      const run = contigRunAt(result.runs, k);
      // A skipped contig (outside `onlyContigs`) comes as a contig without rows.
      if (run.rows === 0 && run.skipped === undefined) continue;
      if (run.contig !== contig.name) {
        if (contig.name !== undefined) {
          yield { name: contig.name, index: index++, samples: header.samples, layout: contig.layout(layoutSamples, alleles.buffer) };
          finished.add(contig.name);
        }
        if (finished.has(run.contig)) {
          throw new InputError({ file: input.path, line: at + 1, column: 1 }, `contig ${run.contig} comes back after other contigs: --low-memory streams one contig at a time and needs each contig's rows together (group the rows by contig, or run without --low-memory)`);
        }
        contig.start(run.contig, input.path);
      } else if (previous && previous.contig === run.contig && run.firstPos < previous.lastPos && !allowUnsorted) {
        throw unsortedAcrossChunks(input.path, at, run, previous);
      }
      contig.append(staging, src, run.rows, input.path);
      previous = run;
      src += run.rows;
      at += run.rows + (run.skipped ?? 0);
    }
    line += result.lines;
    sites += result.rows;
    bytes = gzip ? gzip.bytesRead : bytes + chunkRead;
    free.push(staging);
    options.onProgress?.({ bytes, totalBytes: input.size, sites });
  }
  if (contig.name === undefined) throw new InputError({ file: input.path }, 'no data lines after the header');
  yield { name: contig.name, index, samples: header.samples, layout: contig.layout(layoutSamples, alleles.buffer) };
  emitWarning(tally?.warning(), options.onWarning);
}

/** Byte ranges of a plain file, each parsed by a worker that reads it itself. */
function plainSources(input: InputFile, chunkBytes: number, headerFile: string[] | undefined, headerPath: string | undefined) {
  const { header, dataStart } = plainHeader(input, headerFile, headerPath);
  const ranges = byteRangeSources(input.path, dataStart, input.size, chunkBytes, header.samples.length + 3);
  async function* sources(): AsyncGenerator<Source> {
    yield* ranges;
  }
  return { header, sources: Object.assign(sources(), { dataBytes: input.size - dataStart }) };
}

/**
 * The columns of the contig being filled, as segments of `segmentRows` rows (one batch each), each
 * a column store (column-store.ts) of plain SharedArrayBuffers of a fixed size, kept from one
 * contig to the next and added only when a contig is longer than any before it. Typed arrays over growable buffers would avoid the
 * segments, but V8 runs the kernels markedly slower over them.
 */
class ContigColumns {
  name: string | undefined;
  private rows = 0;
  private readonly segments: ColumnStore[] = [];

  constructor(
    private readonly fields: number,
    private readonly segmentRows: number,
  ) {}

  start(name: string, file: string): void {
    if (name === '') throw new InputError({ file }, 'empty CHROM');
    this.name = name;
    this.rows = 0;
  }

  /** Copies rows `[src, src + rows)` of a staging set behind the rows already held. */
  append(staging: ColumnStore, src: number, rows: number, file: string): void {
    if (this.rows + rows > MAX_CONTIG_ROWS) throw new InputError({ file }, `contig ${this.name} has more than ${MAX_CONTIG_ROWS} rows, the most --low-memory holds`);
    while (rows > 0) {
      const segment = Math.floor(this.rows / this.segmentRows);
      const at = this.rows - segment * this.segmentRows;
      const n = Math.min(rows, this.segmentRows - at);
      const store = this.segment(segment);
      for (let c = 0; c < this.fields - 1; c++) columnBytes(store, c, at, n).set(columnBytes(staging, c, src, n));
      this.rows += n;
      src += n;
      rows -= n;
    }
  }

  /** The contig as a layout of one batch per segment in use, over the shared buffers. */
  layout(samples: string[], alleles: SharedArrayBuffer): MatrixLayout {
    const used = this.segments.slice(0, Math.ceil(this.rows / this.segmentRows));
    const buffers: SharedArrayBuffer[] = [];
    const batches = used.map((store, k) => {
      const first = buffers.length;
      buffers.push(...store.buffers);
      const ref = (c: number): BufferRef => ({ buffer: first + (store.columns[c] as BufferRef).buffer, byteOffset: (store.columns[c] as BufferRef).byteOffset });
      return { contig: 0, rows: Math.min(this.segmentRows, this.rows - k * this.segmentRows), pos: ref(0), ref: ref(1), haplotypes: samples.map((_, h) => ref(2 + h)) };
    });
    return { version: LAYOUT_VERSION, buffers, alleles, samples, contigs: [this.name ?? ''], batches };
  }

  private segment(k: number): ColumnStore {
    let store = this.segments[k];
    if (!store) {
      store = allocateColumnStore(this.fields - 1, this.segmentRows);
      this.segments.push(store);
    }
    return store;
  }
}
