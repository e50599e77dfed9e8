// The `pack` kernel: one small contig's record batch, message and body, as the bytes of the packed
// file (native-layout/README.md, "The file layout"). The main thread writes a large contig itself,
// straight from the shared columns (convert/pack.ts); a small one costs more in per-batch work
// than in bytes (a message to encode, 2 checksums per column), and 20,000 of them on the main
// thread kept the workers waiting. Here the workers do that work, contigs in parallel, and the
// driver writes the bytes in contig order.

import { checksumValue, EMPTY_CHECKSUM } from '../layout/buffer-checksum.js';
import { batchViews } from '../layout/matrix-layout.js';
import { isSorted } from '../layout/matrix-column.js';
import { framedBytes, recordBatchBody, writeRecordBatchMessage, type RecordBatchTemplate } from '../write/record-batch-message.js';
import type { EncodingTask, RangeColumns, TransferredChunk } from './messages.js';

/** Encode one whole contig (rows `[from, to)` are all of its batch) as a record batch of the packed file. */
export interface PackTask extends EncodingTask, RangeColumns {
  kind: 'pack';
  /** The contig's code in the file's contig dictionary: the CHROM value of every row. */
  code: number;
  /** The message templates: `[0]` for a batch whose POS never decreases, `[1]` for one marked unsorted. */
  templates: readonly [RecordBatchTemplate, RecordBatchTemplate];
}

/** The worker's output scratch: a task's bytes are copied out (into its output slot) before the next task. */
let scratch = new Uint8Array(1 << 16);
/** Per buffer of a batch: its offset and length in the body, and its checksum (the worker's scratch). */
let offsets = new Float64Array(0);
let lengths = new Float64Array(0);
let checksums: bigint[] = [];

/** Encodes a contig's record batch: the framed message, then the body (CHROM, POS, REF, haplotypes, each 64-byte aligned). */
export function runPackTask(task: PackTask): TransferredChunk {
  const { pos, ref, haplotypes } = batchViews(task, task.batch, task.from, task.to);
  const rows = pos.length;
  const template = task.templates[isSorted(pos) ? 0 : 1];
  const fields = template.fields;
  if (fields !== 3 + haplotypes.length) throw new RangeError(`pack: a template of ${fields} fields for a batch of ${3 + haplotypes.length}`);
  if (offsets.length < 2 * fields) {
    offsets = new Float64Array(2 * fields);
    lengths = new Float64Array(2 * fields);
    checksums = new Array<bigint>(2 * fields).fill(EMPTY_CHECKSUM);
  }
  const bodyLength = recordBatchBody(fields, rows, offsets, lengths);
  const framed = framedBytes(template);
  const total = framed + bodyLength;
  if (scratch.length < total) scratch = new Uint8Array(Math.max(total, 2 * scratch.length));
  const out = scratch;
  out.fill(0, framed, total);
  const chrom = new Int32Array(out.buffer, framed, rows).fill(task.code);
  checksums[1] = checksumValue(new Uint8Array(chrom.buffer, framed, 4 * rows));
  for (let f = 1; f < fields; f++) {
    const column = f === 1 ? new Uint8Array(pos.buffer, pos.byteOffset, 4 * rows) : f === 2 ? ref : (haplotypes[f - 3] as Uint8Array);
    out.set(column, framed + (offsets[2 * f + 1] as number));
    checksums[2 * f + 1] = checksumValue(column);
  }
  writeRecordBatchMessage(out, 0, template, rows, offsets, lengths, bodyLength, checksums);
  return { bytes: out.subarray(0, total), lines: 0 };
}
