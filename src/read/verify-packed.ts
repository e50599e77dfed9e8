// `genomatrix verify`: every check a packed matrix can have, over the whole file, one record batch
// in memory at a time: the structure and dictionaries (as every open), the checksum of every
// buffer of every batch (CHROM and the validity buffers included) when the file has them, and the
// value checks (CHROM each contig's code, POS, allele codes) in any case.

import { closeSync, openSync } from 'node:fs';
import { InputError, UsageError } from '../errors.js';
import { checksumOf, checksumValue } from '../layout/buffer-checksum.js';
import { batchViews } from '../layout/matrix-layout.js';
import { readBytes, type RecordBatchEntry } from './arrow-file-index.js';
import { detectInput, InputFormat } from './input-format.js';
import { loadArrowBatches, readArrowMatrix, recordBatchPlace } from './load-arrow.js';
import { checkValues, columnName, place, recordBatchRunEnd, storedChecksums } from './packed-checks.js';

/** What `verifyPacked` checked. */
export interface VerifySummary {
  path: string;
  contigs: number;
  sites: number;
  /** Buffers whose checksum matched (0 for a file without checksums). */
  checksums: number;
}

/** Bytes hashed per read when a buffer is checked. */
const READ_PIECE_BYTES = 8 << 20;

/**
 * Checks a packed matrix completely; throws an `InputError` naming the contig and the column or
 * row of the first problem.
 *
 * @example
 * const { contigs, sites } = await verifyPacked('matrix.arrow');
 */
export async function verifyPacked(path: string): Promise<VerifySummary> {
  const input = detectInput(path);
  if (input.format !== InputFormat.arrow) throw new UsageError(`${path}: verify checks a packed .arrow matrix (genomatrix pack); this is a ${input.format} file`);
  const file = readArrowMatrix(input);
  const fail = (problem: string): InputError => new InputError({ file: path }, problem);
  let sites = 0;
  let checksums = 0;
  const fd = openSync(path, 'r');
  try {
    const entries = file.index.recordBatches;
    const all = entries.map((_, b) => b);
    // A record batch at a time: one contig's, or the contigs of one batch of several together.
    for (let b = 0; b < entries.length; ) {
      const entry = entries[b] as RecordBatchEntry;
      const whole = entry.within?.batch;
      const end = recordBatchRunEnd(entries, all, b);
      const contigOf = (k: number): string => file.contigs[file.batchContigs[k] as number] ?? '';
      if (file.checksums) {
        const record = whole ?? entry;
        const where = (column?: string): string => (whole ? `${recordBatchPlace(file, b)}${column === undefined ? '' : `, column ${column} (rows 1 to ${record.rows})`}` : place(contigOf(b), column, record.rows));
        const stored = storedChecksums(record, where(), fail);
        record.buffers.forEach((buffer, k) => {
          const column = columnName(file.samples, k >> 1) + (k % 2 === 0 ? ' validity' : '');
          if (hashRange(fd, record.bodyStart + buffer.offset, buffer.length) !== stored[k]) {
            throw fail(`${where(column)}: the checksum differs from the one stored: the file is damaged (pack it again)`);
          }
          checksums++;
        });
        for (let k = b; k < end; k++) checkChrom(fd, entries[k] as RecordBatchEntry, file.batchContigs[k] as number, contigOf(k), fail);
      }
      const layout = await loadArrowBatches(file, all.slice(b, end), { skipChecks: true });
      layout.batches.forEach((batch, i) => {
        const own = entries[b + i] as RecordBatchEntry;
        checkValues(batchViews(layout, batch), own, file.alleles.length, contigOf(b + i), file.samples, fail);
        sites += own.rows;
      });
      b = end;
    }
  } finally {
    closeSync(fd);
  }
  return { path, contigs: file.index.recordBatches.length, sites, checksums };
}

/** The one line `verify` prints for a file that passed. */
export function formatVerified(summary: VerifySummary): string {
  const what = summary.checksums > 0 ? `${summary.checksums} buffer checksums and every value checked` : 'no checksums (written by another Arrow writer, or packed before checksums): every value checked';
  return `${summary.path}: OK (${summary.contigs} contigs, ${summary.sites} sites; ${what})\n`;
}

/** The checksum of `length` bytes of the file at `position`, read a piece at a time. */
function hashRange(fd: number, position: number, length: number): string {
  if (length <= READ_PIECE_BYTES) return checksumOf(readBytes(fd, position, length));
  const pieces = function* () {
    for (let at = 0; at < length; at += READ_PIECE_BYTES) yield readBytes(fd, position + at, Math.min(READ_PIECE_BYTES, length - at));
  };
  return checksumValue(pieces()).toString(16).padStart(16, '0');
}

/** Every CHROM code of a batch must be its contig's. */
function checkChrom(fd: number, entry: RecordBatchEntry, code: number, contig: string, fail: (problem: string) => InputError): void {
  const start = entry.bodyStart + (entry.buffers[1]?.offset ?? 0);
  const pieceRows = READ_PIECE_BYTES / 4;
  for (let at = 0; at < entry.rows; at += pieceRows) {
    const n = Math.min(pieceRows, entry.rows - at);
    const codes = readBytes(fd, start + 4 * at, 4 * n);
    for (let r = 0; r < n; r++) {
      if (codes.readInt32LE(4 * r) !== code) throw fail(`contig ${contig}, row ${at + r + 1}: CHROM code ${codes.readInt32LE(4 * r)} differs from the batch's contig (code ${code})`);
    }
  }
}
