// Opens a packed matrix (an Arrow IPC file written by `genomatrix pack`) without parsing anything:
// the file's bytes are read into SharedArrayBuffers and every column of every record batch becomes
// a `BufferRef` into them, so the kernels read the file's own bytes (no second copy).
//
// One SharedArrayBuffer stands for the whole file: file offset = buffer offset, so the body buffers
// keep the 64-byte alignment `pack` gives them (any Arrow writer gives 8). Only the column bytes
// (POS, REF, haplotypes) are read into it; the metadata, the dictionaries and CHROM are read apart
// (they are small, or one code per batch), and the pages they span are never touched, so they
// cost no memory. A file larger than `maxBufferBytes` (4 GiB: what one typed array can address)
// gets one buffer per record batch instead, and a batch larger than that one buffer per column.
// A selection (`-r`, `--contigs`, a `--low-memory` pass) reads only the selected contigs' record
// batches, each into a buffer of its own; a region selection then cuts their rows
// (src/select/select-regions.ts).

import { closeSync, openSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { InputError, UsageError } from '../errors.js';
import { AlleleDictionary, MAX_ALLELE_BYTES, MAX_ALLELES } from '../layout/allele-dictionary.js';
import { batchCheck, type BatchCheck } from '../layout/batch-check.js';
import { batchViews, LAYOUT_VERSION, MAX_NAME_BYTES, type BatchLayout, type BufferRef, type MatrixLayout } from '../layout/matrix-layout.js';
import { MetadataKey, readOriginMetadata, type MatrixOrigin } from '../layout/matrix-origin.js';
import { sharedBuffer } from '../native.js';
import { selectBatches } from '../layout/select-contigs.js';
import type { RegionSet } from '../select/regions.js';
import { selectRegions } from '../select/select-regions.js';
import { ArrowTypeId, readArrowFileIndex, readBytes, type ArrowField, type ArrowFileIndex, type RecordBatchEntry } from './arrow-file-index.js';
import type { InputFile } from './input-format.js';
import { checkBuffer, checkValues, hasChecksums, place, splitByContig, storedChecksums } from './packed-checks.js';

/** Options of an .arrow load. */
export interface ArrowLoadOptions {
  signal?: AbortSignal;
  /** Largest SharedArrayBuffer to make (default 4 GiB); tests force a small one. */
  maxBufferBytes?: number;
  /** Only these regions' record batches are read, and their rows cut (see src/select/select-regions.ts). */
  selection?: RegionSet | undefined;
  /** See `SelectRegionsOptions.gatherBelowRows`. */
  gatherBelowRows?: number | undefined;
  /** @internal Skips the checksum and value checks of the loaded columns: bench/open-checks.ts measures their cost with it. */
  skipChecks?: boolean;
}

/** Default `maxBufferBytes`: one typed array over a buffer addresses at most 2^32 bytes. */
export const MAX_BUFFER_BYTES = 2 ** 32;
/** Bytes per read call; several are in flight at once (libuv's thread pool runs them in parallel). */
const READ_PIECE_BYTES = 8 << 20;
const READS_IN_FLIGHT = 4;

/** A byte range of the file that one SharedArrayBuffer stands for. */
export interface FileRegion {
  start: number;
  length: number;
}

/** Bytes `[position, position + length)` of the file, read to offset `at` of region `region`'s buffer. */
export interface FileRead {
  region: number;
  at: number;
  length: number;
  position: number;
}

/** What a packed matrix's metadata says, read without touching the column bytes. */
export interface ArrowMatrixFile {
  input: InputFile;
  /** The file's index, its record batches as one entry per contig (a batch of several contigs split: `RecordBatchEntry.within`). */
  index: ArrowFileIndex;
  alleles: string[];
  /** The contig dictionary. */
  contigs: string[];
  /** The contig code of each entry of `index.recordBatches` (one per contig: see `readArrowMatrix`). */
  batchContigs: number[];
  samples: string[];
  origin: MatrixOrigin;
  /**
   * Whether every batch carries the checksums of its buffers (a file genomatrix wrote): a load
   * checks them; without, it checks the values (see read/packed-checks.ts).
   */
  checksums: boolean;
}

/** Loads a packed matrix into a shared-memory layout plus what its metadata says about its origin. */
export async function loadArrow(input: InputFile, options: ArrowLoadOptions = {}): Promise<{ layout: MatrixLayout; origin: MatrixOrigin }> {
  const file = readArrowMatrix(input);
  const regions = options.selection;
  const keep = regions ? selectBatches(input.path, file.contigs, file.batchContigs, [...regions.intervals.keys()]) : undefined;
  const layout = await loadArrowBatches(file, keep, options);
  return { layout: regions ? selectRegions(input.path, layout, regions, options) : layout, origin: file.origin };
}

/** Reads and checks a packed matrix's footer, schema, metadata and dictionaries (no column bytes). */
export function readArrowMatrix(input: InputFile): ArrowMatrixFile {
  const fail = (problem: string): InputError => new InputError({ file: input.path }, problem);
  const fd = openSync(input.path, 'r');
  let index: ArrowFileIndex;
  let alleles: string[];
  let contigs: string[];
  let batchContigs: number[];
  let checksums: boolean;
  try {
    index = readArrowFileIndex(input.path, fd, input.size);
    checkSchema(index.fields, fail);
    checksums = hasChecksums(index, fail);
    const alleleId = index.fields[2]?.dictionary?.id ?? 0;
    const contigId = index.fields[0]?.dictionary?.id ?? 1;
    alleles = readDictionary(fd, index, alleleId, checksums, fail);
    contigs = readDictionary(fd, index, contigId, checksums, fail);
    index.recordBatches.forEach((batch) => checkBatch(batch, index.fields.length, fail));
    // One entry per contig: a batch of several contigs (or any batch of a file without
    // checksums) split into them, its CHROM read whole; of one contig, its CHROM's ends read.
    const split = { entries: [] as RecordBatchEntry[], codes: [] as number[] };
    const seen = new Set<number>();
    index.recordBatches.forEach((batch, b) => {
      const count = batch.metadata.get(MetadataKey.contigs);
      if (!checksums || count !== undefined) {
        const stored = checksums ? { checksums: storedChecksums(batch, `record batch ${b}`, fail), count: contigCount(count, b, fail) } : undefined;
        splitByContig(fd, batch, b, contigs, seen, split, fail, stored);
        return;
      }
      const code = contigOf(fd, batch, contigs.length, b, fail);
      if (seen.has(code)) throw fail(`record batch ${b}: contig ${contigs[code]} has a record batch already (the file is damaged)`);
      seen.add(code);
      split.entries.push(batch);
      split.codes.push(code);
    });
    index = { ...index, recordBatches: split.entries };
    batchContigs = split.codes;
  } finally {
    closeSync(fd);
  }
  const metadata = readOriginMetadata(index.metadata);
  if (typeof metadata === 'string') throw fail(metadata);
  const samples = index.fields.slice(3).map((field) => field.name);
  if (JSON.stringify(metadata.samples) !== JSON.stringify(samples)) throw fail('the samples in the schema metadata differ from the haplotype columns');
  checkAlleles(alleles, fail);
  const longName = [...contigs, ...samples].find((name) => Buffer.byteLength(name) > MAX_NAME_BYTES);
  if (longName !== undefined) throw fail(`a contig or sample name of ${Buffer.byteLength(longName)} bytes is longer than the ${MAX_NAME_BYTES} accepted`);
  if (index.recordBatches.length === 0) throw fail('no record batches: the matrix has no sites');
  return { input, index, alleles, contigs, batchContigs, samples, origin: metadata.origin, checksums };
}

/**
 * Reads record batches `keep` (default: all) of a packed matrix into shared memory: a layout of
 * those batches, in file order: all of them one buffer for the file, fewer one buffer per batch
 * (see the top of this file).
 */
export async function loadArrowBatches(file: ArrowMatrixFile, keep: readonly number[] | undefined, options: ArrowLoadOptions = {}): Promise<MatrixLayout> {
  const { input, samples } = file;
  const fail = (problem: string): InputError => new InputError({ file: input.path }, problem);
  const { kept, entries, ...regions } = batchRegions(file, keep, options.maxBufferBytes);
  const buffers = await readRegions(input.path, regions.list, regions.reads, options.signal);
  // The contigs of one record batch share its column references, each from its own row, and
  // its checksums' check (made once, on the first use of any of them).
  const checks = new Map<RecordBatchEntry, BatchCheck>();
  const batches = entries.map((entry, b): BatchLayout => {
    const whole = entry.within?.batch ?? entry;
    const ref = (field: number): BufferRef => regions.locate(b, whole.bodyStart + (whole.buffers[2 * field + 1]?.offset ?? 0));
    const batch: BatchLayout = { contig: 0, rows: entry.rows, pos: ref(1), ref: ref(2), haplotypes: samples.map((_, h) => ref(3 + h)) };
    if (entry.within) batch.row = entry.within.row;
    if (batch.pos.byteOffset % 4 !== 0) throw fail(`record batch ${entry.within?.index ?? kept[b]}: the POS buffer is not 4-byte aligned`);
    batch.contig = file.batchContigs[kept[b] as number] as number;
    return batch;
  });
  const layout: MatrixLayout = { version: LAYOUT_VERSION, buffers, alleles: AlleleDictionary.create(file.alleles).buffer, samples, contigs: file.contigs, batches };
  if (options.skipChecks) return layout;
  batches.forEach((batch, b) => {
    const entry = entries[b] as RecordBatchEntry;
    const contig = file.contigs[batch.contig] ?? '';
    // Without checksums, the values, now (read/packed-checks.ts).
    if (!file.checksums) return checkValues(batchViews(layout, batch), entry, file.alleles.length, contig, file.samples, fail);
    const whole = entry.within?.batch ?? entry;
    let check = checks.get(whole);
    if (!check) {
      const what = entry.within ? recordBatchPlace(file, kept[b] as number) : place(contig);
      const stored = storedChecksums(whole, what, fail).filter((_, k) => k >= 3 && k % 2 === 1);
      checks.set(whole, (check = batchCheck(file.input.path, what, whole.rows, stored.map((hex) => BigInt(`0x${hex}`)))));
    }
    batch.check = check;
  });
  return layout;
}

/**
 * The record batch that entry `e` (a contig of a batch of several) is one of, for messages:
 * `record batch N (contigs FIRST to LAST)`.
 */
export function recordBatchPlace(file: ArrowMatrixFile, e: number): string {
  const entries = file.index.recordBatches;
  const within = entries[e]?.within;
  let [first, last] = [e, e];
  while (first > 0 && entries[first - 1]?.within?.batch === within?.batch) first--;
  while (entries[last + 1]?.within?.batch === within?.batch) last++;
  const name = (k: number): string => file.contigs[file.batchContigs[k] as number] ?? '';
  return `record batch ${within?.index} (contigs ${name(first)} to ${name(last)})`;
}

/** The buffers loading batches `keep` (default: all) would make, without reading anything. */
export function plannedBuffers(file: ArrowMatrixFile, keep?: readonly number[]): FileRegion[] {
  return batchRegions(file, keep).list;
}

/**
 * Record batches `keep` (default: all), their entries, and the regions loading them takes: the
 * whole file in one buffer when they are all its batches and it fits, else a buffer per batch.
 */
function batchRegions(file: ArrowMatrixFile, keep: readonly number[] | undefined, maxBufferBytes = MAX_BUFFER_BYTES) {
  const kept = keep ?? file.index.recordBatches.map((_, b) => b);
  const entries = kept.map((b) => file.index.recordBatches[b] as RecordBatchEntry);
  const wholeFile = kept.length === file.index.recordBatches.length && file.input.size <= maxBufferBytes;
  const fail = (problem: string): InputError => new InputError({ file: file.input.path }, problem);
  return { kept, entries, ...planRegions(file.input.size, entries, { limit: maxBufferBytes, wholeFile }, fail) };
}

/** The schema `pack` writes: CHROM (Utf8 dictionary, Int32 indices), POS (Int32), REF and haplotypes (Utf8 dictionary, Uint8 indices, one dictionary). */
function checkSchema(fields: ArrowField[], fail: (problem: string) => InputError): void {
  const [chrom, pos, ref] = fields;
  const isInt = (type: ArrowField['type'] | undefined, bits: number, signed: boolean) => type?.typeId === ArrowTypeId.int && type.bitWidth === bits && type.signed === signed;
  const expect = (ok: boolean, what: string) => {
    if (!ok) throw fail(`not a genomatrix matrix file: expected ${what}`);
  };
  expect(chrom?.name === 'CHROM' && chrom.type.typeId === ArrowTypeId.utf8 && isInt(chrom.dictionary?.indexType, 32, true), 'column 1 CHROM, a Utf8 dictionary with Int32 indices');
  expect(pos?.name === 'POS' && !pos.dictionary && isInt(pos.type, 32, true), 'column 2 POS, Int32');
  const alleleId = ref?.dictionary?.id;
  fields.slice(2).forEach((field, k) => {
    const what = `column ${k + 3} ${k === 0 ? 'REF' : `(${field.name})`}, a Utf8 dictionary with Uint8 indices shared with REF`;
    expect((k > 0 || field.name === 'REF') && field.type.typeId === ArrowTypeId.utf8 && isInt(field.dictionary?.indexType, 8, false) && field.dictionary?.id === alleleId, what);
  });
  expect(alleleId !== chrom?.dictionary?.id, 'separate allele and contig dictionaries');
}

function checkBatch(entry: RecordBatchEntry, fields: number, fail: (problem: string) => InputError): void {
  if (entry.rows <= 0) throw fail('a record batch has no rows (each holds the sites of one contig or more)');
  if (entry.nodes.length !== fields || entry.buffers.length !== 2 * fields) throw fail(`a record batch has ${entry.nodes.length} columns, the schema ${fields}`);
  entry.nodes.forEach((node, f) => {
    if (node.length !== entry.rows) throw fail(`a record batch of ${entry.rows} rows has a column of ${node.length}`);
    if (node.nullCount !== 0) throw fail('null values are not supported in a genome matrix');
    const width = f < 2 ? 4 : 1;
    if ((entry.buffers[2 * f + 1]?.length ?? 0) < entry.rows * width) throw fail(`record batch column ${f + 1} is shorter than its ${entry.rows} rows`);
  });
}

function checkAlleles(alleles: string[], fail: (problem: string) => InputError): void {
  if (alleles.length > MAX_ALLELES) throw fail(`${alleles.length} alleles; a one-byte dictionary index holds ${MAX_ALLELES}`);
  if (new Set(alleles).size !== alleles.length) throw fail('the allele dictionary holds an allele twice');
  const long = alleles.find((allele) => Buffer.byteLength(allele) > MAX_ALLELE_BYTES);
  if (long !== undefined) throw fail(`allele of ${Buffer.byteLength(long)} bytes is longer than the ${MAX_ALLELE_BYTES} accepted`);
}

/** The strings of dictionary `id` (one batch, no deltas: what `pack` writes), its checksums checked when it has them. */
function readDictionary(fd: number, index: ArrowFileIndex, id: number, checksums: boolean, fail: (problem: string) => InputError): string[] {
  const batches = index.dictionaries.filter((dictionary) => dictionary.id === id);
  const [batch] = batches;
  if (!batch || batches.length > 1 || batch.isDelta) throw fail(`expected exactly one batch for dictionary ${id}`);
  const { data } = batch;
  const [, offsetsAt, valuesAt] = data.buffers;
  if (!offsetsAt || !valuesAt || offsetsAt.length < 4 * (data.rows + 1)) throw fail(`dictionary ${id} is not a Utf8 array`);
  if (data.nodes.length !== 1 || data.nodes[0]?.length !== data.rows || (checksums && offsetsAt.length !== 4 * (data.rows + 1))) throw fail(`dictionary ${id}: its length disagrees with its buffers`);
  const offsetBytes = readBytes(fd, data.bodyStart + offsetsAt.offset, 4 * (data.rows + 1));
  const offsets = new Int32Array(offsetBytes.buffer, 0, Math.floor(offsetBytes.length / 4));
  const values = readBytes(fd, data.bodyStart + valuesAt.offset, valuesAt.length);
  if (checksums) {
    const stored = storedChecksums(data, `dictionary ${id}`, fail);
    const offsetsBuffer = offsetBytes.length === offsetsAt.length ? offsetBytes : readBytes(fd, data.bodyStart + offsetsAt.offset, offsetsAt.length);
    checkBuffer(stored, 1, offsetsBuffer, `dictionary ${id} (offsets)`, fail);
    checkBuffer(stored, 2, values, `dictionary ${id} (values)`, fail);
  }
  return Array.from({ length: data.rows }, (_, i) => {
    const from = offsets[i] ?? 0;
    const to = offsets[i + 1] ?? 0;
    if (from < 0 || to < from || to > values.length) throw fail(`dictionary ${id} has a bad offset`);
    return values.toString('utf8', from, to);
  });
}

/** The number of contigs a batch's `genomatrix.contigs` gives (two or more). */
function contigCount(value: string | undefined, b: number, fail: (problem: string) => InputError): number {
  const count = /^[0-9]{1,15}$/.test(value ?? '') ? Number(value) : NaN;
  if (!(count >= 2)) throw fail(`record batch ${b}: ${MetadataKey.contigs} is ${JSON.stringify(value)}, not a count of two contigs or more: the file is damaged`);
  return count;
}

/** The contig code of a record batch: its CHROM column must hold one code, of a known contig (first and last row are checked). */
function contigOf(fd: number, batch: RecordBatchEntry, contigs: number, b: number, fail: (problem: string) => InputError): number {
  const chrom = batch.bodyStart + (batch.buffers[1]?.offset ?? 0);
  const first = readBytes(fd, chrom, 4).readInt32LE(0);
  const last = readBytes(fd, chrom + 4 * (batch.rows - 1), 4).readInt32LE(0);
  if (first !== last || first < 0 || first >= contigs) throw fail(`record batch ${b}: CHROM must hold one contig of the dictionary (a batch of several says ${MetadataKey.contigs})`);
  return first;
}

/** The buffers of a record batch that become layout columns: POS, REF and the haplotypes (not CHROM). */
function columnBuffers(batch: RecordBatchEntry): { offset: number; length: number }[] {
  return batch.buffers.filter((_, k) => k % 2 === 1 && k >= 3);
}

/**
 * Which SharedArrayBuffers to make and which byte ranges of the file to read into them (see the
 * top of this file), and `locate(batch, fileOffset)`, the buffer and offset of a column start.
 * `wholeFile`: one buffer for the file; else one per batch, or per column of a batch over `limit`.
 * Only the column bytes are read; what else a buffer spans (metadata, CHROM) stays untouched
 * zeros, which costs no memory until written.
 */
export function planRegions(fileSize: number, batches: readonly RecordBatchEntry[], plan: { limit: number; wholeFile: boolean }, fail: (problem: string) => InputError) {
  const { limit } = plan;
  const list: FileRegion[] = [];
  const reads: FileRead[] = [];
  const owner: number[][] = []; // per batch: the regions its columns lie in
  // A contig of a record batch of several is read as that whole batch, once for all of its contigs.
  const regionsOf = new Map<RecordBatchEntry, number[]>();
  const span = (batch: RecordBatchEntry) => {
    const columns = columnBuffers(batch);
    const start = columns.reduce((least, buffer) => Math.min(least, buffer.offset), Infinity);
    const end = columns.reduce((most, buffer) => Math.max(most, buffer.offset + buffer.length), 0);
    return { start: batch.bodyStart + start, length: end - start };
  };
  if (plan.wholeFile) list.push({ start: 0, length: fileSize });
  for (const entry of batches) {
    const batch = entry.within?.batch ?? entry;
    let regions = regionsOf.get(batch);
    if (!regions) {
      const whole = span(batch);
      if (plan.wholeFile) {
        reads.push({ region: 0, at: whole.start, length: whole.length, position: whole.start });
        regions = [0];
      } else {
        const pieces = whole.length <= limit ? [whole] : columnBuffers(batch).map((buffer) => ({ start: batch.bodyStart + buffer.offset, length: buffer.length }));
        regions = pieces.map(({ start, length }) => {
          if (length > limit) throw fail(`a column of ${length} bytes is larger than the ${limit} bytes one buffer can hold: pack it with fewer sites per contig`);
          list.push({ start, length });
          reads.push({ region: list.length - 1, at: 0, length, position: start });
          return list.length - 1;
        });
      }
      regionsOf.set(batch, regions);
    }
    owner.push(regions);
  }
  const locate = (batch: number, fileOffset: number): BufferRef => {
    for (const r of owner[batch] ?? []) {
      const region = list[r] as FileRegion;
      if (fileOffset >= region.start && fileOffset < region.start + region.length) return { buffer: r, byteOffset: fileOffset - region.start };
    }
    throw new RangeError(`no region holds offset ${fileOffset} of record batch ${batch}`);
  };
  return { list, reads, locate };
}

/** Makes one SharedArrayBuffer per region and reads the planned ranges into them, several reads in flight. */
async function readRegions(path: string, regions: readonly FileRegion[], reads: readonly FileRead[], signal?: AbortSignal): Promise<SharedArrayBuffer[]> {
  const buffers = regions.map((region) => sharedBuffer(Math.max(region.length, 8)));
  const pieces = reads.flatMap((read) => {
    const out: FileRead[] = [];
    for (let done = 0; done < read.length; done += READ_PIECE_BYTES) {
      out.push({ region: read.region, at: read.at + done, length: Math.min(READ_PIECE_BYTES, read.length - done), position: read.position + done });
    }
    return out;
  });
  const handle = await open(path, 'r');
  try {
    let next = 0;
    const reader = async (): Promise<void> => {
      while (next < pieces.length) {
        signal?.throwIfAborted();
        const piece = pieces[next++] as (typeof pieces)[number];
        const view = new Uint8Array(buffers[piece.region] as SharedArrayBuffer, piece.at, piece.length);
        let done = 0;
        while (done < piece.length) {
          const { bytesRead } = await handle.read(view, done, piece.length - done, piece.position + done);
          if (bytesRead === 0) throw new UsageError(`${path}: the file shrank while it was read`);
          done += bytesRead;
        }
      }
    };
    await Promise.all(Array.from({ length: READS_IN_FLIGHT }, reader));
  } finally {
    await handle.close();
  }
  return buffers;
}
