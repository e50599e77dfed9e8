// The column memory of a text load: POS (Int32) in one SharedArrayBuffer, and the one-byte allele
// columns (REF, then each haplotype) side by side in as few buffers as fit `GROUP_BYTES` each.
//
// Few buffers, not one per column: every task posted to a worker clones the list of buffers it
// reads, and the cost of cloning a message grows with its buffers (100,000 SharedArrayBuffers in one
// postMessage took 30 s, 34 in each of 20,000 tasks 1.4 s more than one).

import { staggerUp, type BufferRef } from '../layout/matrix-layout.js';
import { sharedBuffer } from '../native.js';

/** Most bytes of allele columns put in one buffer (a single column longer than this gets its own). */
export const GROUP_BYTES = 1 << 30;

/** Column buffers and where each column's row 0 sits in them: POS first (4 bytes a row), then REF and the haplotypes (1 byte a row). */
export interface ColumnStore {
  buffers: SharedArrayBuffer[];
  columns: BufferRef[];
  /** Rows each column holds. */
  capacity: number;
}

/** Bytes a row of column `c` takes: 4 for POS, 1 for an allele column. */
export const columnWidth = (c: number): number => (c === 0 ? 4 : 1);

/**
 * Column memory for `columns` columns (POS, REF, haplotypes) of at least `rows` rows each; every
 * column starts at a multiple of `COLUMN_ALIGNMENT` bytes.
 *
 * The capacity is an odd multiple of `COLUMN_ALIGNMENT` (`staggerUp`), so that the allele
 * columns, side by side, start in different cache sets.
 */
export function allocateColumnStore(columns: number, rows: number, groupBytes = GROUP_BYTES): ColumnStore {
  const capacity = staggerUp(rows);
  const buffers = [sharedBuffer(4 * capacity)];
  const refs: BufferRef[] = [{ buffer: 0, byteOffset: 0 }];
  const perGroup = Math.max(1, Math.floor(groupBytes / capacity));
  for (let first = 1; first < columns; first += perGroup) {
    const count = Math.min(perGroup, columns - first);
    buffers.push(sharedBuffer(count * capacity));
    for (let k = 0; k < count; k++) refs.push({ buffer: buffers.length - 1, byteOffset: k * capacity });
  }
  return { buffers, columns: refs, capacity };
}

/** Rows `[base, base + store.capacity)` of a load's row space, held in `store`. */
export interface Segment {
  store: ColumnStore;
  base: number;
}

/** Where each column of `store` starts, as a parse task takes it (`ParseTask.columnRefs`): buffer and byte offset per column. */
export function columnRefNumbers(store: ColumnStore): Float64Array {
  const numbers = new Float64Array(2 * store.columns.length);
  store.columns.forEach((ref, c) => {
    numbers[2 * c] = ref.buffer;
    numbers[2 * c + 1] = ref.byteOffset;
  });
  return numbers;
}

/** Bytes of column `c` of `store`, rows `[from, from + rows)`. */
export function columnBytes(store: ColumnStore, c: number, from: number, rows: number): Uint8Array {
  const ref = store.columns[c] as BufferRef;
  const width = columnWidth(c);
  return new Uint8Array(store.buffers[ref.buffer] as SharedArrayBuffer, ref.byteOffset + from * width, rows * width);
}

/** The POS column of `store` as integers, rows `[from, from + rows)`. */
export function positions(store: ColumnStore, from = 0, rows = store.capacity - from): Int32Array {
  const ref = store.columns[0] as BufferRef;
  return new Int32Array(store.buffers[ref.buffer] as SharedArrayBuffer, ref.byteOffset + 4 * from, rows);
}
