// Lazy verification of a packed matrix's batches: the checksums of a batch's columns are checked
// when the batch is first used, by whichever thread uses it first (a worker, mostly, so the
// batches of a run are checked in parallel and opening a file costs no hashing). The state lives
// in shared memory: every thread sees a batch checked once, and waits while another checks it.
// A batch that fails stays failed; the main thread rebuilds the error from the shared state
// (`checkFailure`) when a task of that batch fails, so the message crosses threads intact.

import { InputError } from '../errors.js';
import { checksumValue } from './buffer-checksum.js';

/** What checking a batch needs: where it came from, its state, and the stored checksums. */
export interface BatchCheck {
  /** The file, and what the checksums cover (`contig NAME`, or a record batch of several contigs), for messages. */
  file: string;
  what: string;
  /** Rows the checksums cover, from row 0 of the batch's column references (a batch's own `row` may start later). */
  rows: number;
  /** Int32 `[status, failing column]`: see `CheckStatus`. */
  state: SharedArrayBuffer;
  /** BigUint64, one per column in order: POS, REF, then the haplotypes. */
  checksums: SharedArrayBuffer;
}

/** Status of a batch's check. */
export const CheckStatus = { unchecked: 0, checking: 1, passed: 2, failed: 3 } as const;
export type CheckStatus = (typeof CheckStatus)[keyof typeof CheckStatus];

/** The shape of a batch the check reads (a `BatchLayout`, without importing it). */
interface CheckedBatch {
  rows: number;
  row?: number;
  pos: { buffer: number; byteOffset: number };
  ref: { buffer: number; byteOffset: number };
  haplotypes: { buffer: number; byteOffset: number }[];
  check?: BatchCheck;
}

/**
 * A fresh check of `rows` rows of columns, for the loader: `checksums` one per column (POS, REF,
 * haplotypes). The batches of the contigs of one record batch share one.
 */
export function batchCheck(file: string, what: string, rows: number, checksums: readonly bigint[]): BatchCheck {
  const values = new BigUint64Array(new SharedArrayBuffer(8 * Math.max(checksums.length, 1)));
  checksums.forEach((checksum, k) => (values[k] = checksum));
  return { file, what, rows, state: new SharedArrayBuffer(8), checksums: values.buffer as SharedArrayBuffer };
}

/** Checks `batch` unless that is done (waiting while another thread does it); throws when it failed. */
export function ensureChecked(buffers: readonly SharedArrayBuffer[], batch: CheckedBatch): void {
  const check = batch.check;
  if (!check) return;
  const state = new Int32Array(check.state);
  for (;;) {
    const status = Atomics.load(state, 0);
    if (status === CheckStatus.passed) return;
    if (status === CheckStatus.failed) throw checkFailure(batch) as InputError;
    if (status === CheckStatus.checking) {
      Atomics.wait(state, 0, CheckStatus.checking, 50);
      continue;
    }
    if (Atomics.compareExchange(state, 0, CheckStatus.unchecked, CheckStatus.checking) !== CheckStatus.unchecked) continue;
    const failing = firstBadColumn(buffers, batch, check);
    Atomics.store(state, 1, failing);
    Atomics.store(state, 0, failing < 0 ? CheckStatus.passed : CheckStatus.failed);
    Atomics.notify(state, 0);
  }
}

/** The error of a batch whose check failed, or undefined when it did not fail (or has no check). */
export function checkFailure(batch: CheckedBatch | undefined): InputError | undefined {
  const check = batch?.check;
  if (!check) return undefined;
  const state = new Int32Array(check.state);
  if (Atomics.load(state, 0) !== CheckStatus.failed) return undefined;
  const column = Atomics.load(state, 1);
  const name = column === 0 ? 'POS' : column === 1 ? 'REF' : `haplotype ${column - 1}`;
  return new InputError(
    { file: check.file },
    `${check.what}, column ${column + 2} (${name}), rows 1 to ${check.rows}: the checksum differs from the one stored: the file is damaged (pack it again; genomatrix verify checks a whole file)`,
  );
}

/** The first column (0 POS, 1 REF, 2... haplotypes) whose bytes do not match its checksum, or -1. */
function firstBadColumn(buffers: readonly SharedArrayBuffer[], batch: CheckedBatch, check: BatchCheck): number {
  const expected = new BigUint64Array(check.checksums);
  const columns = [{ ref: batch.pos, width: 4 }, { ref: batch.ref, width: 1 }, ...batch.haplotypes.map((ref) => ({ ref, width: 1 }))];
  for (let c = 0; c < columns.length; c++) {
    const { ref, width } = columns[c] as (typeof columns)[number];
    const buffer = buffers[ref.buffer];
    if (!buffer || checksumValue(new Uint8Array(buffer, ref.byteOffset, width * check.rows)) !== expected[c]) return c;
  }
  return -1;
}
