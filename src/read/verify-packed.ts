// `genomatrix verify`: every check a packed matrix can have, over the whole file, one record batch
// in memory at a time: the structure and dictionaries (as every open), the checksum of every
// buffer of every batch (CHROM and the validity buffers included) when the file has them, and the
// value checks (CHROM one contig per batch, POS, allele codes) in any case.

import { closeSync, openSync } from 'node:fs';
import { InputError, UsageError } from '../errors.js';
import { checksumOf, checksumValue } from '../layout/buffer-checksum.js';
import { batchViews } from '../layout/matrix-layout.js';
import { readBytes, type RecordBatchEntry } from './arrow-file-index.js';
import { detectInput, InputFormat } from './input-format.js';
import { loadArrowBatches, readArrowMatrix } from './load-arrow.js';
import { checkValues, columnName, place, storedChecksums } from './packed-checks.js';

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
    for (let b = 0; b < file.index.recordBatches.length; b++) {
      const entry = file.index.recordBatches[b] as RecordBatchEntry;
      const code = file.batchContigs[b] as number;
      const contig = file.contigs[code] ?? '';
      if (file.checksums) {
        const stored = storedChecksums(entry, place(contig), fail);
        entry.buffers.forEach((buffer, k) => {
          const column = columnName(file.samples, k >> 1) + (k % 2 === 0 ? ' validity' : '');
          if (hashRange(fd, entry.bodyStart + buffer.offset, buffer.length) !== stored[k]) {
            throw fail(`${place(contig, column, entry.rows)}: the checksum differs from the one stored: the file is damaged (pack it again)`);
          }
          checksums++;
        });
        checkChrom(fd, entry, code, contig, fail);
      }
      const layout = await loadArrowBatches(file, [b], { skipChecks: true });
      checkValues(batchViews(layout, layout.batches[0] as (typeof layout.batches)[number]), entry, file.alleles.length, contig, file.samples, fail);
      sites += entry.rows;
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
