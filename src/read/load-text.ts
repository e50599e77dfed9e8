// Loads a text genome matrix (plain or gzip) into shared columns, in parallel:
//
//   plain: the file is cut into byte ranges; each worker reads its range and parses it straight
//          into its own row region of the shared columns (a region large enough for any line count
//          the range could hold: every line has at least 2 bytes a field);
//   BGZF:  the blocks are grouped by their headers, and each worker inflates a group and parses its
//          lines (those that start in it), as for a byte range of a plain file;
//   gzip:  the main thread inflates one stream into shared blocks of whole lines, and workers
//          parse the blocks as they come, into row regions taken in turn from column segments
//          added as the rows grow (plain SharedArrayBuffers of a fixed size: V8 runs the parse
//          about half as fast over growable ones);
//
// the parse tasks running on the ordered window (dispatch/ordered-window.ts), their results taken in
// file order; then the chunks' contig runs are grouped so each contig is one row range (group-contigs.ts),
// and the allele dictionary is renumbered into its canonical order.

import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../errors.js';
import { missingContigs } from '../layout/select-contigs.js';
import { AlleleDictionary } from '../layout/allele-dictionary.js';
import { tableLayout } from '../layout/batch-table.js';
import { lazyContigs } from '../layout/contig-names.js';
import { sharedFloat64 } from '../layout/shared-numbers.js';
import { LAYOUT_VERSION, type BufferRef, type MatrixLayout } from '../layout/matrix-layout.js';
import type { LoadProgress } from '../layout/types.js';
import { orderedWindow, type WindowTask } from '../dispatch/ordered-window.js';
import type { WorkerPool } from '../dispatch/worker-pool.js';
import { contigRunAt, runCount, runName, type ContigRun, type ContigRuns, type ParseProblem, type ParseResult, type ParseTask } from '../worker/messages.js';
import { allocateColumnStore, columnRefNumbers, positions, type ColumnStore, type Segment } from './column-store.js';
import { ContigGrouping, placeRows } from './group-contigs.js';
import { bgzfGroups, bgzfStart, isBgzfFile } from './bgzf-index.js';
import { byteRangeSources, DEFAULT_CHUNK_BYTES, loadChunkBytes, rowBound, type Source } from './chunk-plan.js';
import { GzipLineBlocks, gzipSources, inflatedSizeHint } from './gzip-line-blocks.js';
import { matrixHeader, readHeaderFile, type Header } from './header.js';
import { InputFormat, type InputFile } from './input-format.js';
import { assertTextSample, TEXT_SAMPLE_BYTES } from './text-check.js';
import { emitWarning, UnsortedTally } from './unsorted-tally.js';

/** Options of a text load. */
export interface TextLoadOptions {
  /** A file holding the header line, for data files without one. */
  header?: string;
  /** Accept decreasing POS inside a contig run. */
  allowUnsorted?: boolean;
  /** Bytes of input per parse task. */
  chunkBytes?: number;
  signal?: AbortSignal;
  /** Called on the main thread after each parsed chunk: input bytes done (of `total`) and rows parsed so far. */
  onProgress?: (progress: LoadProgress) => void;
  /** Receives warnings (e.g. decreasing POS accepted by `allowUnsorted`); default: `process.emitWarning`. */
  onWarning?: (message: string) => void;
  /**
   * Only these contigs become rows (a selection's contigs): the others' lines are skipped by the
   * parse tasks (`ParseTask.contigs`), and a contig named here that the file lacks is a usage error.
   */
  onlyContigs?: readonly string[];
}


/** A text input cut into parse chunks, and the columns they are parsed into. */
interface ChunkedText {
  header: Header;
  /** The chunks, in file order. */
  sources: AsyncIterable<Source> | Iterable<Source>;
  /** The segment that holds rows `[rowStart, rowStart + rows)` (a gzip stream's are added as its chunks come). */
  region(rowStart: number, rows: number): Segment;
  /** The segments, in row order (none before the first chunk). */
  segments(): Segment[];
  /** Input bytes read before the first chunk (the header line, of a plain file). */
  startBytes: number;
  /** Input bytes read so far, when that is not the chunks' own bytes added up (gzip: the compressed bytes read). */
  bytesRead?: () => number;
}

/** One chunk parsed: its result, and where its rows start in the columns. */
interface ParsedChunk {
  result: ParseResult;
  /** Where its rows start: in the load's row space, and in its segment. */
  rowStart: number;
  segment: Segment;
  bytes: number;
}

/** Parses a plain or gzip text matrix into a shared-memory layout. */
export async function loadText(input: InputFile, pool: WorkerPool, options: TextLoadOptions = {}): Promise<MatrixLayout> {
  const headerFile = options.header === undefined ? undefined : readHeaderFile(options.header);
  const alleles = AlleleDictionary.create();
  const text =
    input.format !== InputFormat.gzip
      ? plainChunks(input, headerFile, options, pool.threads)
      : isBgzfFile(input.path)
        ? bgzfChunks(input, headerFile, options)
        : await gzipChunks(input, pool, headerFile, options);
  const { header } = text;
  const { parsed, grouping } = await parseChunks(input, pool, alleles, text, options);
  const segments = text.segments();
  if (segments.length === 0) throw new InputError({ file: input.path }, 'no data lines after the header');
  const missing = options.onlyContigs?.filter((name) => !grouping.has(name));
  if (missing?.length) throw missingContigs(input.path, missing, grouping.names);
  if (grouping.empty) throw new InputError({ file: input.path }, 'no data lines');
  if (options.allowUnsorted) warnUnsorted(input.path, header, parsed, options.onWarning);
  const plan = grouping.plan((segments[0] as Segment).store.capacity);
  const map = alleles.canonicalize();
  const store = await placeRows(plan, segments, (task) => pool.run(task), { parts: pool.threads, ...(map && { map }) });
  // One batch per contig, every one over the same column set at its own first row: a table of
  // numbers, its batch objects made only if something reads them (layout/batch-table.ts).
  const count = plan.names.count;
  const sets = [{ pos: store.columns[0] as BufferRef, ref: store.columns[1] as BufferRef, haplotypes: store.columns.slice(2) }];
  const table = { length: count, contig: plan.contigs, rows: plan.rows, row: plan.starts, set: sharedFloat64(count), sets, sites: plan.sites };
  const layout = tableLayout({ version: LAYOUT_VERSION, buffers: store.buffers, alleles: alleles.buffer, samples: header.samples, contigs: [] }, table);
  // Its names made strings only when read (layout/contig-names.ts).
  lazyContigs(layout, plan.names);
  return layout;
}

/**
 * Runs the parse tasks of the chunks on the ordered window (dispatch/ordered-window.ts), each into
 * its own row region of the columns, and takes their results in file order: the contig runs
 * grouped (skipped contigs' runs only as names met), and progress. The first chunk
 * in file order that stopped on a bad line is reported, at its absolute line.
 */
async function parseChunks(input: InputFile, pool: WorkerPool, alleles: AlleleDictionary, text: ChunkedText, options: TextLoadOptions): Promise<{ parsed: ParsedChunk[]; grouping: ContigGrouping }> {
  const { header } = text;
  const fields = header.samples.length + 3;
  async function* parses(): AsyncGenerator<WindowTask<ParsedChunk>> {
    let rowStart = 0;
    for await (const chunk of text.sources) {
      const segment = text.region(rowStart, chunk.rows);
      const task = parseTask(fields, segment.store, alleles, rowStart - segment.base, chunk.rows, chunk.source, options);
      const at = rowStart;
      yield (signal) => pool.run(task, signal).then((result) => ({ result, rowStart: at, segment, bytes: chunk.bytes })).finally(() => chunk.release?.());
      rowStart += chunk.rows;
    }
  }
  const parsed: ParsedChunk[] = [];
  const grouping = new ContigGrouping(Array.isArray(text.sources) ? text.sources.length : 0);
  const allowUnsorted = options.allowUnsorted ?? false;
  let line = header.lines;
  let previous: ContigRun | undefined;
  let bytes = text.startBytes;
  let sites = 0;
  for await (const chunk of orderedWindow(parses(), { window: 2 * pool.threads, signal: options.signal })) {
    const { result } = chunk;
    if (result.damaged !== undefined) throw new InputError({ file: input.path }, result.damaged);
    if (result.problem) throw chunkProblem(input.path, header, line, result.problem);
    groupRuns(grouping, result.runs, chunk.rowStart, previous, allowUnsorted, input.path, line);
    const runs = runCount(result.runs);
    if (runs > 0) previous = contigRunAt(result.runs, runs - 1);
    parsed.push(chunk);
    line += result.lines;
    sites += result.rows;
    bytes = text.bytesRead ? text.bytesRead() : bytes + chunk.bytes;
    options.onProgress?.({ bytes, totalBytes: input.size, sites });
  }
  return { parsed, grouping };
}

/**
 * Adds a parsed chunk's contig runs, its rows from `src` on, to `grouping`; a first run that goes
 * on with `previous`'s contig from a smaller POS is an error (`line`: lines before the chunk).
 */
function groupRuns(grouping: ContigGrouping, runs: ContigRuns, src: number, previous: ContigRun | undefined, allowUnsorted: boolean, file: string, line: number): void {
  const { numbers } = runs;
  if (runCount(runs) > 0 && (numbers[0] as number) > 0 && previous && (numbers[1] as number) < previous.lastPos && !allowUnsorted && previous.contig === runName(runs, 0)) {
    throw unsortedAcrossChunks(file, line, contigRunAt(runs, 0), previous);
  }
  grouping.addRuns(runs, src);
}

function parseTask(fields: number, columns: ColumnStore, alleles: AlleleDictionary, rowStart: number, rowCapacity: number, source: ParseTask['source'], options: TextLoadOptions): ParseTask {
  const task: ParseTask = { kind: 'parse', source, fields, columns: columns.buffers, columnRefs: columnRefNumbers(columns), alleles: alleles.buffer, rowStart, rowCapacity, allowUnsorted: options.allowUnsorted ?? false };
  if (options.onlyContigs) task.contigs = [...options.onlyContigs];
  return task;
}

/** The header of a plain text matrix and the offset of its first data line. */
export function plainHeader(input: InputFile, headerFile: string[] | undefined, headerPath: string | undefined): { header: Header; dataStart: number } {
  const { line, bytes, sample, complete } = readFirstLine(input.path);
  assertTextSample(sample, input.path, complete);
  const header = matrixHeader(input.path, line, headerFile, headerPath);
  const dataStart = header.lines > 0 ? bytes : header.bom;
  if (input.size - dataStart <= 0) throw new InputError({ file: input.path }, 'no data lines after the header');
  return { header, dataStart };
}

/** Plain: byte ranges, each parsed by a worker that reads it itself, into columns sized for the most rows they can hold. */
function plainChunks(input: InputFile, headerFile: string[] | undefined, options: TextLoadOptions, threads: number): ChunkedText {
  const { header, dataStart } = plainHeader(input, headerFile, options.header);
  const fields = header.samples.length + 3;
  const sources = byteRangeSources(input.path, dataStart, input.size, chunkBytesOf(options, loadChunkBytes(input.size - dataStart, threads, fields)), fields);
  return fixedColumns(header, sources, dataStart);
}

/** BGZF: block groups inflated and parsed by the workers, in parallel (bgzf-index.ts). */
function bgzfChunks(input: InputFile, headerFile: string[] | undefined, options: TextLoadOptions): ChunkedText {
  const start = bgzfStart(input.path, input.size, TEXT_SAMPLE_BYTES);
  const complete = start.length < TEXT_SAMPLE_BYTES || start.indexOf(10) < 0;
  assertTextSample(start.subarray(0, Math.min(start.length, TEXT_SAMPLE_BYTES)), input.path, complete);
  const nl = start.indexOf(10);
  const firstLine = start.length === 0 ? undefined : Buffer.from(start.buffer, start.byteOffset, nl < 0 ? start.length : nl).toString('utf8');
  const header = matrixHeader(input.path, firstLine, headerFile, options.header);
  const fields = header.samples.length + 3;
  const sources = bgzfGroups(input.path, input.size, chunkBytesOf(options)).map((group): Source => ({
    source: { type: 'bgzf', path: input.path, start: group.start, end: group.end, size: input.size, before: group.before, headerLines: header.lines },
    bytes: group.end - group.start,
    rows: rowBound(group.bytes, fields),
  }));
  if (sources.length === 0) throw new InputError({ file: input.path }, 'no data lines after the header');
  return fixedColumns(header, sources, 0);
}

/** Chunks whose rows are all known beforehand: one column store for all of them, allocated first. */
function fixedColumns(header: Header, sources: Source[], startBytes: number): ChunkedText {
  const segment = { store: allocateColumnStore(header.samples.length + 2, sources.reduce((sum, source) => sum + source.rows, 0)), base: 0 };
  return { header, sources, region: () => segment, segments: () => [segment], startBytes };
}

/**
 * gzip: the main thread inflates the stream into shared blocks of whole lines, parsed as they come
 * into column segments: a chunk that does not fit the last segment starts a new one, with room
 * for at least four such chunks and for as many rows as the segments before it (so the segments
 * are few, and the rows they leave unused at most about those in use).
 */
async function gzipChunks(input: InputFile, pool: WorkerPool, headerFile: string[] | undefined, options: TextLoadOptions): Promise<ChunkedText> {
  // A few blocks in flight: a block goes back to the reader once the worker that parsed it is done.
  const reader = new GzipLineBlocks(input.path, chunkBytesOf(options), pool.threads + 2);
  const { header, sources } = await gzipSources(input, reader, headerFile, options.header);
  const fields = header.samples.length + 3;
  const segments: Segment[] = [];
  // The first segment holds as many rows as the trailer's inflated size can (as a plain file's
  // one store its size): then a single-member file under 4 GiB is one segment, its rows placed
  // where they are parsed, not copied into a store of their own (another 144 MB of new memory
  // for the seed shape). A wrong size only means more segments; memory not written costs nothing.
  // Capped at 64 times the file: a damaged trailer must not reserve gigabytes.
  const inflated = input.stream ? undefined : inflatedSizeHint(input.path, input.size);
  const firstRows = inflated === undefined ? 0 : rowBound(Math.min(inflated, 64 * input.size), fields);
  const region = (rowStart: number, rows: number): Segment => {
    const last = segments[segments.length - 1];
    if (last && rowStart + rows <= last.base + last.store.capacity) return last;
    const segment = { store: allocateColumnStore(fields - 1, Math.max(4 * rows, rowStart, last ? 0 : firstRows)), base: rowStart };
    segments.push(segment);
    return segment;
  };
  return { header, sources, region, segments: () => segments, startBytes: 0, bytesRead: () => reader.bytesRead };
}

/** Bytes per parse task: as told, else `fallback`. */
function chunkBytesOf(options: TextLoadOptions, fallback = DEFAULT_CHUNK_BYTES): number {
  return Math.max(1 << 10, options.chunkBytes ?? fallback);
}

/**
 * The error of a chunk that stopped on a problem, at its absolute line (`line` = lines before the
 * chunk); a field-count problem with names from a header file says that file is the likely cause.
 */
export function chunkProblem(file: string, header: Header, line: number, problem: ParseProblem): InputError {
  const at = line + problem.line + 1;
  let text = problem.problem;
  if (header.file !== undefined && /^expected \d+ tab-separated fields/.test(text)) {
    text += `; the header file ${header.file} names ${header.samples.length + 3} columns: does it belong to this matrix?`;
  }
  return new InputError(problem.column === undefined ? { file, line: at } : { file, line: at, column: problem.column }, text);
}

/** The error for POS decreasing across a chunk boundary (inside a chunk, the kernel finds it). */
export function unsortedAcrossChunks(file: string, line: number, run: ContigRun, previous: ContigRun): InputError {
  return new InputError({ file, line: line + 1, column: 2 }, `POS ${run.firstPos} is smaller than the previous POS ${previous.lastPos} of contig ${run.contig}: rows of a contig run must be sorted (or pass --allow-unsorted)`);
}

function warnUnsorted(file: string, header: Header, parsed: ParsedChunk[], onWarning?: (message: string) => void): void {
  const tally = new UnsortedTally(file);
  let line = header.lines;
  for (const { rowStart, segment, result } of parsed) {
    tally.scan(positions(segment.store), rowStart - segment.base, result.runs, line);
    line += result.lines;
  }
  emitWarning(tally.warning(), onWarning);
}

/** The first line of a file, and its first `TEXT_SAMPLE_BYTES` (or more, when the line is longer). */
function readFirstLine(path: string): { line: string | undefined; bytes: number; sample: Uint8Array; complete: boolean } {
  const fd = openSync(path, 'r');
  try {
    let buffer = Buffer.alloc(TEXT_SAMPLE_BYTES);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, length);
      length += n;
      const nl = buffer.subarray(0, length).indexOf(10);
      const sample = buffer.subarray(0, length);
      if (nl >= 0 && (n === 0 || length === buffer.length)) return { line: buffer.toString('utf8', 0, nl), bytes: nl + 1, sample, complete: n === 0 };
      if (n === 0) return { line: length === 0 ? undefined : buffer.toString('utf8', 0, length), bytes: length, sample, complete: true };
      if (length === buffer.length) {
        const bigger = Buffer.alloc(2 * buffer.length);
        buffer.copy(bigger);
        buffer = bigger;
      }
    }
  } finally {
    closeSync(fd);
  }
}
