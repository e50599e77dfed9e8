// `pack`: a loaded matrix -> an Arrow IPC file that reopens without parsing (read/load-arrow.ts)
// and that any Arrow reader opens. Record batches in contig order, through a temporary file
// renamed when complete: a large contig is one, written from the shared columns themselves; small
// contigs go together, a span of a loaded matrix's (dispatch/conversion.ts `ContigSpan`) one record
// batch written the same way, any other group of them one encoded by a worker
// (worker/pack-batch.ts), groups in parallel.

import { basename } from 'node:path';
import { memorySource, streamedSource, type ContigUnit } from '../dispatch/contig-source.js';
import { rangeColumns, type ContigSpan, type Conversion, type RangeTask } from '../dispatch/conversion.js';
import { drive } from '../dispatch/drive.js';
import { WorkerPool } from '../dispatch/worker-pool.js';
import { UsageError } from '../errors.js';
import { AlleleDictionary } from '../layout/allele-dictionary.js';
import { batchAt, batchTable, type BatchTable } from '../layout/batch-table.js';
import { batchViews, type BatchLayout, type BatchViews } from '../layout/matrix-layout.js';
import { isSorted } from '../layout/matrix-column.js';
import { RowPieces } from '../layout/row-pieces.js';
import { MetadataKey, originMetadata, type MatrixOrigin } from '../layout/matrix-origin.js';
import type { Matrix } from '../matrix.js';
import type { ArrowFileWriter, BodyBuffer } from '../write/arrow-file-writer.js';
import { InputFormat, type InputFile } from '../read/input-format.js';
import { readArrowMatrix } from '../read/load-arrow.js';
import { withMatrixInput } from '../read/open-matrix-input.js';
import type { LoadProgress } from '../layout/types.js';
import { openOutput, type OutputSink } from '../write/output-sink.js';
import { CONTIG_COUNT_PLACEHOLDER } from '../write/record-batch-message.js';
import type { EncodedChunk, TransferredChunk } from '../worker/messages.js';
import { PackTemplate, type PackTask } from '../worker/pack-batch.js';
import { progressOf, type ProgressOptions } from './conversion-progress.js';
import { resolvePairs } from './pairs.js';

/** Options of `pack`. */
export interface PackOptions extends ProgressOptions {
  /** The `.arrow` file to write (under a temporary name, renamed when complete). */
  output: string;
  /** Pairs to store with the matrix (`"10a:10b,13a:13b"` or name pairs): the default of later commands. */
  pairs?: string | readonly (readonly [string, string])[];
  signal?: AbortSignal;
  /** @internal Most column bytes of a record batch of small contigs (default 1 MiB); tests force a small one. */
  batchBytes?: number;
}

/** What `pack` wrote. */
export interface PackSummary {
  output: string;
  /** Size of the file written. */
  bytes: number;
  contigs: number;
  sites: number;
}

/** Options of `lowMemoryPack`: those of `pack` and of a text load. */
export interface LowMemoryPackOptions extends Omit<PackOptions, 'onProgress'> {
  header?: string;
  threads?: number;
  allowUnsorted?: boolean;
  /** Bytes of input each parse task takes (default 8 MiB). */
  chunkBytes?: number;
  /** Only these contigs (see `LoadOptions.contigs`). */
  contigs?: readonly string[];
  /** Only these regions (see `LoadOptions.regions`). */
  regions?: string;
  /** Only the regions of this file (see `LoadOptions.regionsFile`). */
  regionsFile?: string;
  /** Called on the main thread after each parsed chunk, with the contigs packed so far. */
  onProgress?: (progress: LoadProgress & { contigs: number }) => void;
  onWarning?: (message: string) => void;
}

/** Rows of CHROM codes written per piece (the column is not in memory: it is one code per batch). */
const CHROM_PIECE_ROWS = 1 << 16;

/** What a pack run needs to start its file: the writer's module and the schema of the samples. */
interface PackStart {
  /** The input, for the error of a matrix (a selection) without sites: a packed file has at least one record batch. */
  source: string;
  origin: MatrixOrigin;
  pairs: PackOptions['pairs'];
  /** The dictionaries, when known before the first record batch (a loaded matrix); else written after the batches. */
  dictionaries?: { alleles: readonly string[]; contigs: readonly string[] };
  batchBytes: number | undefined;
}

/** The modules `pack` writes with, imported once (see `prefetchPackModules`). */
let packModules: Promise<[typeof import('../write/arrow-file-writer.js'), typeof import('../table/arrow-table.js')]> | undefined;

/**
 * The modules `pack` writes with. apache-arrow (the metadata encoder) is among them, so they are
 * imported on first use: importing 'genomatrix' (as task modules in workers do) stays light.
 */
function writerModules(): NonNullable<typeof packModules> {
  return (packModules ??= Promise.all([import('../write/arrow-file-writer.js'), import('../table/arrow-table.js')]));
}

/**
 * Starts importing the modules `pack` writes with, so that their compiling (some 60 ms of the main
 * thread) overlaps the load of the matrix instead of following it. The command line calls it
 * before it loads; a failure surfaces when `pack` awaits them.
 */
export function prefetchPackModules(): void {
  writerModules().catch(() => undefined);
}

/** The packed file's description for the driver: a worker task per group of small contigs, a large contig written in `contigDone`. */
interface PackConversion extends Conversion<PackTask> {
  summary(): { bytes: number; contigs: number; sites: number };
}

/** Most column bytes (CHROM, POS, REF, haplotypes) of a contig whose record batch a worker encodes, and of a group of them (one record batch). */
const SMALL_CONTIG_BYTES = 1 << 20;

/** Rows of the largest small contig, and of a group of them, for `fields` fields (see `SMALL_CONTIG_BYTES`). */
function smallContigRows(fields: number, bytes = SMALL_CONTIG_BYTES): number {
  return Math.max(1, Math.floor(bytes / (fields + 5)));
}

/**
 * Describes `pack` for the driver: the contigs' columns go into the file as record batches, in
 * contig order. Small contigs (each one batch of at most `smallContigRows` rows) are encoded by a
 * worker, a group of them (the driver's: at most `smallContigRows` rows, and as many contigs as its `groupFull` allows) as one
 * record batch, message and body (worker/pack-batch.ts), and the driver writes its bytes; a larger
 * contig is its own record batch, written by the main thread in `contigDone`, straight from the
 * shared buffers. With
 * `dictionaries` known up front (a loaded matrix) they come first, and each batch keeps its
 * contig's code; otherwise (a streamed input) contigs are numbered as they come and the
 * dictionaries follow the batches.
 */
async function packConversion(sink: OutputSink, start: PackStart): Promise<PackConversion> {
  const [{ ArrowFileWriter }, { DictionaryId, matrixSchema }] = await writerModules();
  let writer: ArrowFileWriter | undefined;
  let alleles: SharedArrayBuffer | undefined;
  let templates: PackTask['templates'] | undefined;
  let smallRows = 1;
  let chromScratch = new Int32Array(0);
  const contigCodes = new Map<string, number>();
  let sites = 0;
  let contigs = 0;
  /** A worker's record batch, now in the file: its message, then its body (the kernel's `data`). */
  const written = (result: TransferredChunk | EncodedChunk, ranges: readonly RangeTask[]): void => {
    recordBatchWritten(result);
    for (const range of ranges) sites += range.to - range.from;
    contigs += ranges.length;
  };
  const recordBatchWritten = (result: TransferredChunk | EncodedChunk): void => {
    const bytes = 'bytes' in result ? result.bytes.length : result.length;
    const body = result.data as number;
    (writer as ArrowFileWriter).recordBatchWritten(bytes - body, body);
  };
  /** Whether a worker encodes the contig's record batch: one batch of at most `smallRows` rows. */
  const small = (unit: ContigUnit): boolean => unit.layout.batches.length === 1 && unit.contig.sites > 0 && unit.contig.sites <= smallRows;
  const codeOf = (unit: ContigUnit): number => {
    alleles = unit.layout.alleles;
    if (start.dictionaries) return unit.layout.batches[0]?.contig ?? 0;
    const code = contigCodes.get(unit.contig.name) ?? contigCodes.size;
    contigCodes.set(unit.contig.name, code);
    return code;
  };
  return {
    chunkRows: () => smallRows,
    async begin(first) {
      if (!first) return undefined;
      const { samples } = first.layout;
      const origin = { ...start.origin };
      if (start.pairs !== undefined) origin.pairs = storedPairs(samples, start.pairs);
      writer = await ArrowFileWriter.start(sink, matrixSchema(samples, originMetadata(origin, samples)));
      const fields = 3 + samples.length;
      // By `PackTemplate` index: the sum of its flags.
      templates = [0, 1, 2, 3].map((flags) => {
        const metadata = new Map<string, string>();
        if (flags & PackTemplate.unsorted) metadata.set(MetadataKey.unsorted, 'true');
        if (flags & PackTemplate.severalContigs) metadata.set(MetadataKey.contigs, CONTIG_COUNT_PLACEHOLDER);
        return (writer as ArrowFileWriter).templateOf(fields, metadata);
      });
      smallRows = smallContigRows(fields, start.batchBytes);
      if (start.dictionaries) {
        await writer.writeDictionary(DictionaryId.alleles, start.dictionaries.alleles);
        await writer.writeDictionary(DictionaryId.contigs, start.dictionaries.contigs);
      }
      return undefined;
    },
    inContigDone: (unit) => !small(unit),
    task: (range) => ({ kind: 'pack', encodes: true, ...rangeColumns(range), code: codeOf(range.unit), templates: templates as PackTask['templates'] }),
    collect: (result, range) => written(result, [range]),
    collectJoined: written,
    // Spans of a loaded matrix's small contigs: each the record batch a worker would make of the
    // same group, written here straight from the shared buffers (`spanColumns`), as a large contig.
    spans: () => (start.dictionaries ? { rows: smallRows } : undefined),
    async spanDone(span) {
      const { rows, count } = span;
      // The CHROM column's memory is reused from span to span: the writer is done with it once
      // `writeRecordBatch` resolves.
      if (chromScratch.length < rows) chromScratch = new Int32Array(Math.max(rows, smallRows));
      const { columns, sorted } = spanColumns(span, chromScratch.subarray(0, rows));
      const metadata = new Map<string, string>();
      if (!sorted) metadata.set(MetadataKey.unsorted, 'true');
      if (count > 1) metadata.set(MetadataKey.contigs, CONTIG_COUNT_PLACEHOLDER);
      alleles = span.layout.alleles;
      await (writer as ArrowFileWriter).writeRecordBatch(rows, columns, metadata, count);
      sites += rows;
      contigs += count;
    },
    async contigDone(unit) {
      if (small(unit)) return; // a worker's: written by the driver (collect)
      const { layout } = unit;
      const code = codeOf(unit);
      // One record batch for the contig, whatever segments it is held in.
      const views = layout.batches.map((batch) => batchViews(layout, batch));
      await (writer as ArrowFileWriter).writeRecordBatch(unit.contig.sites, recordBatchColumns(code, views), batchMetadata(views));
      sites += unit.contig.sites;
      contigs++;
    },
    async end() {
      if (!writer || !alleles) throw new UsageError(`${start.source}: no sites to pack`);
      if (!start.dictionaries) {
        await writer.writeDictionary(DictionaryId.alleles, AlleleDictionary.attach(alleles).toStrings());
        await writer.writeDictionary(DictionaryId.contigs, [...contigCodes.keys()]);
      }
      await writer.finish();
      return undefined;
    },
    summary: () => ({ bytes: writer?.bytesWritten ?? 0, contigs, sites }),
  };
}

/**
 * Writes a loaded matrix as an Arrow IPC file (native-layout/README.md, "The file layout").
 *
 * @example
 * const matrix = await loadMatrix('matrix.tsv.gz');
 * await pack(matrix, { output: 'matrix.arrow' });
 * await matrix.close();
 * const again = await loadMatrix('matrix.arrow');   // no parse: the file's bytes are the columns
 */
export async function pack(matrix: Matrix, options: PackOptions): Promise<PackSummary> {
  packOutput(options.output);
  const sink = await openOutput(options.output, { inputs: [matrix.source] });
  const start = { source: matrix.source, origin: matrix.origin, pairs: options.pairs, dictionaries: { alleles: matrix.alleles, contigs: matrix.layout.contigs }, batchBytes: options.batchBytes };
  const conversion = await packConversion(sink, start).catch(async (error: unknown) => {
    await sink.abort();
    throw error;
  });
  await drive(memorySource(matrix.layout), conversion, { pool: matrix.pool, sink, signal: options.signal, onRange: progressOf(matrix, options) });
  return { output: options.output, ...conversion.summary() };
}

/** Checks a pack output name: a file (not standard output), and not a `.gz` name, which holds BGZF in every other command. */
function packOutput(output: string | undefined): void {
  if (!output || output === '-') throw new UsageError('pack writes a file: give --output FILE.arrow');
  if (/\.b?gz$/i.test(output)) {
    throw new UsageError(`cannot write ${output}: pack writes an uncompressed Arrow IPC file, reopened in place without a parse; name it .arrow, not .gz`);
  }
}

/**
 * Packs a matrix file contig by contig (the CLI's `pack --low-memory`), holding one contig in memory
 * at a time: a record batch is written as each contig is parsed, and the dictionaries, complete
 * only at the end, follow the record batches (the IPC file format allows that: readers take them
 * from the footer). The same matrix as `pack` writes; each contig's rows must be together in a text
 * file.
 *
 * @example
 * await lowMemoryPack('huge.tsv.gz', { output: 'huge.arrow' });
 */
export async function lowMemoryPack(path: string, options: LowMemoryPackOptions): Promise<PackSummary> {
  packOutput(options.output);
  return withMatrixInput(path, (input) => packStreamed(input, path, options));
}

/** `lowMemoryPack` of an opened input (`path` as the user named it). */
async function packStreamed(input: InputFile, path: string, options: LowMemoryPackOptions & { output: string }): Promise<PackSummary> {
  const origin: MatrixOrigin = input.format === InputFormat.arrow ? readArrowMatrix(input).origin : { format: input.format, sourceName: basename(path), sourceSize: input.size };
  const pool = new WorkerPool(options.threads);
  let sink: OutputSink;
  let conversion: PackConversion;
  try {
    sink = await openOutput(options.output, { inputs: [path, options.header] });
    conversion = await packConversion(sink, { source: path, origin, pairs: options.pairs, batchBytes: options.batchBytes }).catch(async (error: unknown) => {
      await sink.abort();
      throw error;
    });
  } catch (error) {
    await pool.destroy();
    throw error;
  }
  const { header, allowUnsorted, chunkBytes, onWarning, contigs, regions, regionsFile, signal } = options;
  let packed = 0;
  let loaded: LoadProgress = { bytes: 0, totalBytes: input.size, sites: 0 };
  const report = (): void => options.onProgress?.({ ...loaded, contigs: packed });
  const source = streamedSource(input, pool, { header, allowUnsorted, chunkBytes, onWarning, contigs, regions, regionsFile, signal, onProgress: (progress) => {
      loaded = progress;
      report();
    },
  });
  await drive(source, conversion, { pool, ownsPool: true, sink, signal: options.signal, onRange: (_sites, ended) => {
      packed += ended;
      report();
    },
  });
  return { output: options.output, ...conversion.summary() };
}

/** Pairs as `pack` stores them in the metadata: `a:b,c:d`. */
function storedPairs(samples: readonly string[], pairs: NonNullable<PackOptions['pairs']>): string {
  return resolvePairs(samples, pairs)
    .map((pair) => pair.members.join(':'))
    .join(',');
}

/**
 * The body buffers of one record batch: CHROM (contig `code` on every row, or the column given),
 * then POS, REF and the haplotypes, each the rows of `views` one after the other (a contig held in
 * one or more pieces, or a span's contigs).
 */
function recordBatchColumns(code: number | BodyBuffer, views: readonly BatchViews[]): BodyBuffer[] {
  const rows = views.reduce((sum, view) => sum + view.pos.length, 0);
  const bytes = (array: Int32Array | Uint8Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  const column = (of: (view: BatchViews) => Int32Array | Uint8Array): BodyBuffer =>
    views.length === 1 ? bytes(of(views[0] as BatchViews)) : { byteLength: views.reduce((sum, view) => sum + of(view).byteLength, 0), pieces: () => views.map((view) => bytes(of(view))) };
  const haplotypes = views[0]?.haplotypes.length ?? 0;
  return [typeof code === 'number' ? repeatedInt32(code, rows) : code, column((view) => view.pos), column((view) => view.ref), ...Array.from({ length: haplotypes }, (_, h) => column((view) => view.haplotypes[h] as Uint8Array))];
}

/**
 * The body buffers of a span's record batch, the same bytes as the pack kernel's of its group
 * (worker/pack-batch.ts): CHROM each row's contig index (in `chrom`, of the span's rows), then the
 * other columns as views of the shared buffers, one piece per run of adjacent rows (a loaded text
 * matrix's contigs follow each other: one piece). `sorted`: no contig's POS decreases.
 */
function spanColumns({ layout, first, count }: ContigSpan, chrom: Int32Array): { columns: BodyBuffer[]; sorted: boolean } {
  // The batch table's numbers (layout/batch-table.ts); a span's batches are one column set.
  const table = batchTable(layout);
  const head = batchAt(table, first);
  // A span's batches share their buffers (matrix-layout.ts): one source, the pieces told by rows.
  const buffer = layout.buffers[head.pos.buffer] as SharedArrayBuffer;
  const pos = new Int32Array(buffer, head.pos.byteOffset, (buffer.byteLength - head.pos.byteOffset) >>> 2);
  const runs = new RowPieces<BatchLayout>();
  runs.addAll(head, pos, table.row, table.rows, first, count);
  spanChrom(table, first, count, chrom);
  const views = runs.pieces.map(({ start, rows }) => batchViews(layout, { ...head, rows, row: start }));
  return { columns: recordBatchColumns(new Uint8Array(chrom.buffer, chrom.byteOffset, chrom.byteLength), views), sorted: runs.sorted };
}

/** The CHROM column of a span's batches from `first`: each row its batch's contig. A loop of its own, no call per contig (see `RowPieces.addAll`). */
function spanChrom(table: BatchTable, first: number, count: number, chrom: Int32Array): void {
  let at = 0;
  for (let k = first; k < first + count; k++) {
    const contig = table.contig[k] as number;
    const rows = table.rows[k] as number;
    for (let r = 0; r < rows; r++) chrom[at + r] = contig;
    at += rows;
  }
}

/** The metadata of a record batch whose POS decreases somewhere (then readers skip that check). */
const UNSORTED: ReadonlyMap<string, string> = new Map([[MetadataKey.unsorted, 'true']]);

/** The metadata of a record batch: whether its POS decreases somewhere (then readers skip that check). */
function batchMetadata(views: readonly BatchViews[]): ReadonlyMap<string, string> {
  let sorted = true;
  let last = -Infinity;
  for (const { pos } of views) {
    if (pos.length === 0) continue;
    sorted &&= (pos[0] as number) >= last && isSorted(pos);
    last = pos[pos.length - 1] as number;
  }
  return sorted ? new Map() : UNSORTED;
}

/** An Int32 column holding `value` `rows` times (a long one produced piece by piece). */
function repeatedInt32(value: number, rows: number): BodyBuffer {
  if (rows <= CHROM_PIECE_ROWS) return new Uint8Array(new Int32Array(rows).fill(value).buffer);
  return {
    byteLength: 4 * rows,
    *pieces() {
      const piece = new Int32Array(Math.min(rows, CHROM_PIECE_ROWS)).fill(value);
      for (let at = 0; at < rows; at += piece.length) {
        const n = Math.min(piece.length, rows - at);
        yield new Uint8Array(piece.buffer, 0, 4 * n);
      }
    },
  };
}
