// A layout's batches as numbers: per batch its contig, rows and first row in typed arrays, and the
// column references as a few shared sets. A text load makes its layout from such a table, and the
// conversions walk the table; the layout's `batches` objects (native-layout/README.md) are made
// only when something reads them. For 100,000 contigs, making those objects and collecting them
// took the main thread about 140 ms while the workers waited for their first task. The table's
// numbers are in shared memory: a span of small contigs goes to a worker as a reference to them
// (`spanTable`), not as numbers copied per contig.

import { copyContigs, nameBytes } from './contig-names.js';
import { batchPositions, type BatchLayout, type BufferRef, type MatrixLayout } from './matrix-layout.js';
import { sharedFloat64 } from './shared-numbers.js';

/** The column references that batches share: POS, REF and each haplotype. */
export type ColumnSet = Pick<BatchLayout, 'pos' | 'ref' | 'haplotypes'>;

/** Batches as numbers, batch `b` at index `b` of each array (each one in shared memory: `sharedFloat64`). */
export interface BatchTable {
  readonly length: number;
  /** Index into `MatrixLayout.contigs`. */
  readonly contig: Float64Array;
  readonly rows: Float64Array;
  /** Row of the columns where the batch's rows start. */
  readonly row: Float64Array;
  /** Index into `sets`. */
  readonly set: Float64Array;
  readonly sets: readonly ColumnSet[];
  /** Rows of every batch, when the table's maker knows them (`tableRows` then needs no pass over the batches). */
  readonly sites?: number;
  /** The batch objects the table was made from (a packed file's carry their checks); absent for a text load's. */
  readonly objects?: readonly BatchLayout[];
}

/** The tables of layouts, kept as long as their layout. */
const tables = new WeakMap<MatrixLayout, BatchTable>();

/** `layout`'s batches as a table: the one it was made from, else one made from its batch objects (once per layout). */
export function batchTable(layout: MatrixLayout): BatchTable {
  let table = tables.get(layout);
  if (!table) {
    table = tableOf(layout.batches);
    tables.set(layout, table);
  }
  return table;
}

/** A table of batch objects, batches sharing column references sharing a set. */
export function tableOf(batches: readonly BatchLayout[]): BatchTable {
  const { length } = batches;
  const contig = sharedFloat64(length);
  const rows = sharedFloat64(length);
  const row = sharedFloat64(length);
  const set = sharedFloat64(length);
  const sets: ColumnSet[] = [];
  // Sets by their haplotype references (an array shared by the batches of a load), then POS and REF.
  const byHaplotypes = new Map<readonly BufferRef[], number[]>();
  for (let b = 0; b < length; b++) {
    const batch = batches[b] as BatchLayout;
    contig[b] = batch.contig;
    rows[b] = batch.rows;
    row[b] = batch.row ?? 0;
    let found = byHaplotypes.get(batch.haplotypes);
    if (!found) byHaplotypes.set(batch.haplotypes, (found = []));
    let s = found.find((k) => (sets[k] as ColumnSet).pos === batch.pos && (sets[k] as ColumnSet).ref === batch.ref);
    if (s === undefined) {
      s = sets.push({ pos: batch.pos, ref: batch.ref, haplotypes: batch.haplotypes }) - 1;
      found.push(s);
    }
    set[b] = s;
  }
  return { length, contig, rows, row, set, sets, objects: batches };
}

/**
 * What a worker needs to make the tasks of a span of small contigs itself (worker/task-group.ts
 * `spanGroup`): the layout's batch table, and its contig names as UTF-8 bytes
 * (layout/contig-names.ts), all in shared memory, each made once. A span then costs the
 * main thread the same whatever its contigs: made per span, its per-contig numbers and names were
 * 0.4-0.6 ms of the main thread's time a span of 2,048 contigs, and 114 KB of new memory each,
 * while the workers waited.
 */
export interface SpanTable {
  readonly contig: Float64Array;
  readonly rows: Float64Array;
  readonly row: Float64Array;
  /** Contig `c`'s name is `names[nameStart[c], nameStart[c] + nameLength[c])`. */
  readonly names: Uint8Array;
  readonly nameStart: Float64Array;
  readonly nameLength: Float64Array;
  /** Whether every name is ASCII (each byte a character). */
  readonly ascii: boolean;
}

/** The span table of `layout` (see `SpanTable`): its batch table and its names' bytes, each made once. */
export function spanTable(layout: MatrixLayout): SpanTable {
  const { contig, rows, row } = batchTable(layout);
  const { names, start, length, ascii } = nameBytes(layout);
  return { contig, rows, row, names, nameStart: start, nameLength: length, ascii };
}

/** Batch `b` of a table as an object: the layout's own when the table was made from objects, else a new one. */
export function batchAt(table: BatchTable, b: number): BatchLayout {
  const own = table.objects?.[b];
  if (own) return own;
  if (!(b >= 0 && b < table.length)) throw new RangeError(`no batch ${b}`);
  const { pos, ref, haplotypes } = table.sets[table.set[b] as number] as ColumnSet;
  return { contig: table.contig[b] as number, rows: table.rows[b] as number, row: table.row[b] as number, pos, ref, haplotypes };
}

/** Whether batch `b` carries checksums to check on first use (a packed file's: see batch-check.ts). */
export function batchChecked(table: BatchTable, b: number): boolean {
  return table.objects?.[b]?.check !== undefined;
}

/** Rows of every batch of a table. */
export function tableRows(table: BatchTable): number {
  if (table.sites !== undefined) return table.sites;
  let rows = 0;
  for (let b = 0; b < table.length; b++) rows += table.rows[b] as number;
  return rows;
}

/** The end of the batches of the contig whose first batch is `from` (a region selection may cut a contig into several). */
export function contigEnd(table: BatchTable, from: number): number {
  const contig = table.contig[from];
  let end = from + 1;
  while (end < table.length && table.contig[end] === contig) end++;
  return end;
}

/**
 * A layout of `fields` whose batches are `table`'s. Its `batches` objects are made when first read,
 * then kept: structured clone and a spread read them too, so code on a hot path builds layouts with
 * `withBatches`, never by spreading one.
 */
export function tableLayout(fields: Omit<MatrixLayout, 'batches'>, table: BatchTable): MatrixLayout {
  const layout = { ...fields } as MatrixLayout;
  const settle = (batches: BatchLayout[]): BatchLayout[] => {
    Object.defineProperty(layout, 'batches', { value: batches, writable: true, enumerable: true, configurable: true });
    return batches;
  };
  Object.defineProperty(layout, 'batches', {
    enumerable: true,
    configurable: true,
    get: () => settle(Array.from({ length: table.length }, (_, b) => batchAt(table, b))),
    // Other batches given: the table no longer describes them.
    set: (batches: BatchLayout[]) => {
      tables.delete(layout);
      settle(batches);
    },
  });
  tables.set(layout, table);
  return layout;
}

/** `layout` with `batches` as its batches: every other field copied by name, the layout's lazy batches never read. */
export function withBatches(layout: MatrixLayout, batches: BatchLayout[]): MatrixLayout {
  const { version, buffers, alleles, samples, contigLengths } = layout;
  const own = { version, buffers, alleles, samples, batches } as MatrixLayout;
  // Its contigs as the layout's, not yet strings when they are not (layout/contig-names.ts).
  copyContigs(layout, own);
  if (contigLengths) own.contigLengths = contigLengths;
  return own;
}

/** The POS column of each column set, whole (its buffer from the column's start). */
const positionColumns = new WeakMap<ColumnSet, Int32Array>();

/**
 * Where batch `b`'s POS values are: `pos[from, to)`. A view of its set's whole POS column, made
 * once per set, so 100,000 contigs do not make 100,000 views; a batch with checksums gets a view
 * of its own, checked first (`batchPositions`).
 */
export function positionsAt(layout: Pick<MatrixLayout, 'buffers'>, table: BatchTable, b: number): { pos: Int32Array; from: number; to: number } {
  const rows = table.rows[b] as number;
  if (batchChecked(table, b)) return { pos: batchPositions(layout, batchAt(table, b)), from: 0, to: rows };
  const set = table.sets[table.set[b] as number] as ColumnSet;
  let pos = positionColumns.get(set);
  if (!pos) {
    const buffer = layout.buffers[set.pos.buffer];
    if (!buffer) throw new Error(`layout has no buffer ${set.pos.buffer}`);
    pos = new Int32Array(buffer, set.pos.byteOffset, (buffer.byteLength - set.pos.byteOffset) >>> 2);
    positionColumns.set(set, pos);
  }
  const from = table.row[b] as number;
  return { pos, from, to: from + rows };
}
