// What makes a packed matrix trusted before its columns are used (native-layout/README.md,
// "Checksums and checks"):
// - a file genomatrix wrote carries the checksum of every buffer; a load checks those of the
//   dictionaries and of the columns it reads, and the first and last CHROM code of each batch of
//   one contig (all of CHROM, and its checksum, for a batch of several: it is split by contig);
// - a file without checksums (written by another Arrow writer, or by genomatrix before checksums)
//   has its values checked instead: each batch split into its runs of one contig (each contig in
//   one run), POS positive and non-decreasing, every allele code inside the dictionary.
// `verify` (read/verify-packed.ts) does both, over every buffer and every value.

import { checksumOf, CHECKSUM_KEY, CHECKSUMS_SCHEMA_KEY, parseChecksums } from '../layout/buffer-checksum.js';
import type { BatchViews } from '../layout/matrix-layout.js';
import { MetadataKey } from '../layout/matrix-origin.js';
import { InputError } from '../errors.js';
import { readBytes, type ArrowFileIndex, type RecordBatchEntry } from './arrow-file-index.js';

/** Builds the error of a file, from a problem string. */
export type Fail = (problem: string) => InputError;

/** CHROM codes read at a time when a batch without checksums is split by contig. */
const CHROM_PIECE_ROWS = 1 << 18;

/**
 * Whether the file's batches carry checksums: all of them (true), none (false: another writer, or
 * an older genomatrix). Some with and some without, or none when the schema says all have them
 * and a batch was left with its metadata, is damage.
 */
export function hasChecksums(index: ArrowFileIndex, fail: Fail): boolean {
  const messages = [...index.dictionaries.map((d) => d.data), ...index.recordBatches];
  const carrying = messages.filter((entry) => entry.metadata.has(CHECKSUM_KEY)).length;
  const declared = index.metadata.has(CHECKSUMS_SCHEMA_KEY);
  if (carrying === messages.length && messages.length > 0) {
    if (!declared) throw fail(`the batches carry checksums but the schema metadata lacks ${CHECKSUMS_SCHEMA_KEY}: the file is damaged`);
    return true;
  }
  // Another Arrow writer rewriting a packed file keeps the schema metadata but drops the batches'.
  if (carrying === 0) return false;
  throw fail(`${messages.length - carrying} of ${messages.length} batches lack their checksums (${CHECKSUM_KEY}): the file is damaged`);
}

/** The stored checksums of a batch, one per buffer; an error when they are unreadable or miscounted. */
export function storedChecksums(entry: RecordBatchEntry, what: string, fail: Fail): string[] {
  const checksums = parseChecksums(entry.metadata.get(CHECKSUM_KEY));
  if (!checksums || checksums.length !== entry.buffers.length) throw fail(`${what}: its checksums (${CHECKSUM_KEY}) are damaged`);
  return checksums;
}

/** Checks buffer `k` of a batch (its bytes given) against its stored checksum. */
export function checkBuffer(checksums: readonly string[], k: number, bytes: Uint8Array, what: string, fail: Fail): void {
  if (checksumOf(bytes) !== checksums[k]) throw fail(`${what}: the checksum differs from the one stored: the file is damaged (pack it again)`);
}

/** Where a problem lies: contig, and column and rows when known, for messages. */
export function place(contig: string, column?: string, rows?: number): string {
  return `contig ${contig}${column === undefined ? '' : `, column ${column}`}${rows === undefined ? '' : ` (rows 1 to ${rows})`}`;
}

/** The names of a batch's columns by field: CHROM, POS, REF, then the haplotypes. */
export function columnName(samples: readonly string[], field: number): string {
  return ['CHROM', 'POS', 'REF'][field] ?? samples[field - 3] ?? `${field + 1}`;
}

/**
 * Splits a record batch into its runs of one contig (reading all of CHROM), appended to `split`:
 * each run an entry of its own whose buffers start at its first row (`within` links it to the
 * whole batch `b`), its code to `codes`. Each contig must be one run of the file (`seen`: the
 * contigs met in batches before); otherwise the file is refused. With `stored` (the batch's
 * checksums), CHROM must match its checksum first: a split of the batch holding several contigs
 * genomatrix wrote is then trusted, and `count` (its `genomatrix.contigs`) must be its runs.
 */
export function splitByContig(fd: number, entry: RecordBatchEntry, b: number, contigs: readonly string[], seen: Set<number>, split: { entries: RecordBatchEntry[]; codes: number[] }, fail: Fail, stored?: { checksums: readonly string[]; count: number }): void {
  const chrom = entry.bodyStart + (entry.buffers[1]?.offset ?? 0);
  const pieces = function* (): Generator<Buffer> {
    for (let at = 0; at < entry.rows; at += CHROM_PIECE_ROWS) yield readBytes(fd, chrom + 4 * at, 4 * Math.min(CHROM_PIECE_ROWS, entry.rows - at));
  };
  if (stored && checksumOf(pieces()) !== stored.checksums[1]) throw fail(`record batch ${b}, column 1 (CHROM): the checksum differs from the one stored: the file is damaged (pack it again)`);
  const first = split.entries.length;
  let runStart = 0;
  let runCode = -1;
  const close = (end: number): void => {
    if (runCode < 0) return;
    split.entries.push(slice(entry, b, runStart, end));
    split.codes.push(runCode);
  };
  let at = 0;
  for (const bytes of pieces()) {
    const n = bytes.length >> 2;
    for (let r = 0; r < n; r++) {
      const code = bytes.readInt32LE(4 * r);
      if (code === runCode) continue;
      const row = at + r;
      if (code < 0 || code >= contigs.length) throw fail(`record batch ${b}, row ${row + 1}: CHROM code ${code} is outside the contig dictionary of ${contigs.length}`);
      if (seen.has(code)) {
        throw fail(`contig ${contigs[code]} comes back at record batch ${b}, row ${row + 1}, after other rows: each contig's rows must be together, in one record batch`);
      }
      close(row);
      seen.add(code);
      runStart = row;
      runCode = code;
    }
    at += n;
  }
  close(entry.rows);
  if (stored && split.entries.length - first !== stored.count) throw fail(`record batch ${b}: ${split.entries.length - first} contigs, where its ${MetadataKey.contigs} says ${stored.count}: the file is damaged`);
}

/**
 * The end of the run of entries from `keep[k]` on (`keep`: indices into `entries`, in order) that
 * are contigs of one record batch of several: they are read together, the batch once. `k + 1` for
 * a batch of one contig.
 */
export function recordBatchRunEnd(entries: readonly RecordBatchEntry[], keep: readonly number[], k: number): number {
  const whole = entries[keep[k] as number]?.within?.batch;
  let end = k + 1;
  while (whole && entries[keep[end] as number]?.within?.batch === whole) end++;
  return end;
}

/** Rows `[from, to)` of record batch `b` as an entry of its own (the buffers of fixed-width columns, moved). */
function slice(entry: RecordBatchEntry, b: number, from: number, to: number): RecordBatchEntry {
  if (from === 0 && to === entry.rows) return entry;
  const rows = to - from;
  const buffers = entry.buffers.map((buffer, k) => {
    if (k % 2 === 0) return { offset: buffer.offset, length: 0 }; // validity: none (no nulls)
    const width = k < 4 ? 4 : 1; // CHROM and POS are 4 bytes a row, the allele codes 1
    return { offset: buffer.offset + width * from, length: width * rows };
  });
  return { ...entry, rows, nodes: entry.nodes.map((node) => ({ ...node, length: rows })), buffers, within: { batch: entry, index: b, row: from } };
}

/**
 * The value checks of a batch: POS positive and, unless the batch records an unsorted input,
 * never decreasing; every allele code inside the dictionary of `alleles` entries.
 */
export function checkValues(views: BatchViews, entry: RecordBatchEntry, alleles: number, contig: string, samples: readonly string[], fail: Fail): void {
  const { pos } = views;
  const unsorted = entry.metadata.get(MetadataKey.unsorted) === 'true';
  let previous = 0;
  for (let r = 0; r < pos.length; r++) {
    const value = pos[r] as number;
    if (value <= 0) throw fail(`contig ${contig}, row ${r + 1}: POS ${value} is not a positive integer`);
    if (value < previous && !unsorted) throw fail(`contig ${contig}, row ${r + 1}: POS ${value} is smaller than the previous POS ${previous} (the batch does not record an unsorted input)`);
    previous = value;
  }
  if (alleles >= 256) return; // every one-byte code names an allele
  const columns = [views.ref, ...views.haplotypes];
  columns.forEach((codes, c) => {
    for (let r = 0; r < codes.length; r++) {
      if ((codes[r] as number) >= alleles) throw fail(`contig ${contig}, row ${r + 1}, column ${columnName(samples, c + 2)}: allele code ${codes[r]} is outside the dictionary of ${alleles} alleles`);
    }
  });
}
