// The `pack` kernel: the record batch of one small contig, or of a group of them (the driver's
// group of small contigs, joined: `Conversion.collectJoined`), message and body, as the bytes of
// the packed file (native-layout/README.md, "The file layout"). The main thread writes a large
// contig itself, and a span of a loaded matrix's small contigs, straight from the shared columns
// (convert/pack.ts), the same bytes this kernel makes of the same group. A batch costs per-batch work
// (a message to encode, 2 checksums per column) and per-batch bytes (each column padded to 64):
// 20,000 contigs of 20 sites as 20,000 batches were a file 6.7 times the size of their columns and
// 660,000 checksum calls. One batch per group of them is a few dozen batches; the workers encode
// them, groups in parallel, and the driver writes the bytes in contig order.

import { checksumValue, EMPTY_CHECKSUM } from '../layout/buffer-checksum.js';
import { batchViews, type BatchViews } from '../layout/matrix-layout.js';
import { RowPieces } from '../layout/row-pieces.js';
import { framedBytes, recordBatchBody, writeRecordBatchMessage, type RecordBatchTemplate } from '../write/record-batch-message.js';
import type { EncodingTask, RangeColumns, TransferredChunk } from './messages.js';
import type { SharedRows } from './shared-views.js';

/** Encode one whole contig (rows `[from, to)` are all of its batch) into a record batch of the packed file. */
export interface PackTask extends EncodingTask, RangeColumns {
  kind: 'pack';
  /** The contig's code in the file's contig dictionary: the CHROM value of its rows. */
  code: number;
  /**
   * The message templates, by `PackTemplate`: a batch of one contig or of several (whose message
   * holds their count), its POS never decreasing within a contig or not (marked unsorted).
   */
  templates: readonly RecordBatchTemplate[];
}

/** Index in `PackTask.templates`: the sum of the flags that hold. */
export const PackTemplate = { sorted: 0, unsorted: 1, severalContigs: 2 } as const;

/** The worker's output scratch: a batch's bytes are copied out (into its output slot) before the next task. */
let scratch = new Uint8Array(1 << 16);
/** Per buffer of a batch: its offset and length in the body, and its checksum (the worker's scratch). */
let offsets = new Float64Array(0);
let lengths = new Float64Array(0);
let checksums: bigint[] = [];

/** Encodes one contig's record batch. */
export function runPackTask(task: PackTask): TransferredChunk {
  return packRecordBatch([task]);
}

/**
 * Encodes the record batch of `tasks`, whole contigs in contig order (`shared[k]`: task `k`'s rows
 * in views its group shares): the framed message, then the body (CHROM, POS, REF, haplotypes,
 * each 64-byte aligned), each column the contigs' rows back to back. `data` is the body's length.
 */
export function packRecordBatch(tasks: readonly PackTask[], shared: readonly (SharedRows | undefined)[] = []): TransferredChunk {
  const first = tasks[0];
  if (!first) throw new RangeError('pack: a record batch of no contig');
  // Consecutive contigs over the same views with adjacent rows (small contigs of a loaded text
  // matrix follow each other) are copied as one piece per column.
  const runs = new RowPieces<BatchViews>();
  for (let k = 0; k < tasks.length; k++) {
    const task = tasks[k] as PackTask;
    const at = shared[k];
    const views = at ? at.views : batchViews(task, task.batch, task.from, task.to);
    runs.add(views, views.pos, at ? at.row : 0, task.to - task.from);
  }
  const { pieces, total, sorted } = runs;
  const template = first.templates[(sorted ? PackTemplate.sorted : PackTemplate.unsorted) + (tasks.length > 1 ? PackTemplate.severalContigs : 0)];
  const haplotypes = first.batch.haplotypes.length;
  if (!template || template.fields !== 3 + haplotypes) throw new RangeError(`pack: no template of ${3 + haplotypes} fields for this batch`);
  const fields = template.fields;
  if (offsets.length < 2 * fields) {
    offsets = new Float64Array(2 * fields);
    lengths = new Float64Array(2 * fields);
    checksums = new Array<bigint>(2 * fields).fill(EMPTY_CHECKSUM);
  }
  const bodyLength = recordBatchBody(fields, total, offsets, lengths);
  const framed = framedBytes(template);
  const size = framed + bodyLength;
  if (scratch.length < size) scratch = new Uint8Array(Math.max(size, 2 * scratch.length));
  const out = scratch;
  out.fill(0, framed, size);
  const chrom = new Int32Array(out.buffer, framed, total);
  let row = 0;
  for (let k = 0; k < tasks.length; k++) {
    const task = tasks[k] as PackTask;
    const rows = task.to - task.from;
    chrom.fill(task.code, row, row + rows);
    row += rows;
  }
  checksums[1] = checksumValue(new Uint8Array(out.buffer, framed, 4 * total));
  for (let f = 1; f < fields; f++) {
    const at = framed + (offsets[2 * f + 1] as number);
    let o = at;
    for (const { source: views, start, rows } of pieces) {
      const column = f === 1 ? new Uint8Array(views.pos.buffer, views.pos.byteOffset + 4 * start, 4 * rows) : (f === 2 ? views.ref : (views.haplotypes[f - 3] as Uint8Array)).subarray(start, start + rows);
      out.set(column, o);
      o += column.length;
    }
    checksums[2 * f + 1] = checksumValue(out.subarray(at, o));
  }
  writeRecordBatchMessage(out, 0, template, total, offsets, lengths, bodyLength, checksums, tasks.length);
  return { bytes: out.subarray(0, size), lines: 0, data: bodyLength };
}
