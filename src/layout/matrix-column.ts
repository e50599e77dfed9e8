// Columns of a loaded matrix as raw typed arrays (one zero-copy view per contig), and site lookup
// by position. For analysts who want the codes on the main thread without apache-arrow objects.

import type { Contig } from './types.js';
import { batchViews, type MatrixLayout } from './matrix-layout.js';

/** A column as one zero-copy typed array per contig, in `Matrix.contigs` order. */
export interface MatrixColumn<Values extends Uint8Array | Int32Array> {
  readonly name: string;
  /** One view per contig: `chunks[c][r]` is row `r` of contig `c`. */
  readonly chunks: readonly Values[];
  /** Rows in all (the matrix's sites). */
  readonly length: number;
  /** The raw value (allele code, or POS) at a table row. */
  raw(row: number): number;
  /** The view of one contig, by name or index. */
  contig(contig: string | number): Values;
}

/** `REF` or a haplotype column: one-byte allele codes and the allele dictionary that decodes them. */
export interface AlleleColumn extends MatrixColumn<Uint8Array> {
  readonly type: 'allele';
  /** Allele strings by code (shared by every allele column). */
  readonly alleles: readonly string[];
  /** The allele string at a table row. */
  get(row: number): string;
}

/** The `POS` column: 1-based positions, Int32. */
export interface PositionColumn extends MatrixColumn<Int32Array> {
  readonly type: 'position';
  /** POS at a table row. */
  get(row: number): number;
}

/** One site, decoded. */
export interface Site {
  contig: string;
  pos: number;
  /** Row in `Matrix.table` (and in every column's rows). */
  row: number;
  ref: string;
  /** The allele of each haplotype column, in `Matrix.samples` order. */
  haplotypes: string[];
}

/** Index of the contig holding table row `row` (binary search over the contigs' row ranges). */
export function contigOfRow(contigs: readonly Contig[], row: number): number {
  let lo = 0;
  let hi = contigs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((contigs[mid] as Contig).rowStart <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Builds the column `name` (`POS`, `REF` or a haplotype) over the shared buffers. */
export function matrixColumn(layout: MatrixLayout, contigs: readonly Contig[], name: string, alleles: readonly string[]): AlleleColumn | PositionColumn | undefined {
  const sample = layout.samples.indexOf(name);
  if (name !== 'POS' && name !== 'REF' && sample < 0) return undefined;
  const views = layout.batches.map((batch) => batchViews(layout, batch));
  const length = contigs.reduce((sum, contig) => sum + contig.sites, 0);
  const chunks = views.map((view) => (name === 'POS' ? view.pos : name === 'REF' ? view.ref : (view.haplotypes[sample] as Uint8Array)));
  const raw = (row: number): number => {
    if (!Number.isInteger(row) || row < 0 || row >= length) throw new RangeError(`row ${row} is outside 0..${length - 1}`);
    const c = contigOfRow(contigs, row);
    return (chunks[c] as Uint8Array | Int32Array)[row - (contigs[c] as Contig).rowStart] as number;
  };
  const contig = (which: string | number) => {
    const index = typeof which === 'number' ? which : contigs.findIndex((c) => c.name === which);
    const chunk = chunks[index];
    if (!chunk) throw new RangeError(`no contig ${which}`);
    return chunk;
  };
  if (name === 'POS') return { name, type: 'position', chunks: chunks as Int32Array[], length, raw, contig: contig as (c: string | number) => Int32Array, get: raw };
  return {
    name,
    type: 'allele',
    chunks: chunks as Uint8Array[],
    length,
    raw,
    contig: contig as (c: string | number) => Uint8Array,
    alleles,
    get: (row) => alleles[raw(row)] ?? '',
  };
}

/**
 * Row of the first site at `pos` in one contig's POS values, or -1. Binary search when the contig's
 * positions never decrease (`sorted`), a scan otherwise (a matrix loaded with `allowUnsorted`).
 */
export function findPosition(positions: Int32Array, pos: number, sorted: boolean): number {
  if (!sorted) return positions.indexOf(pos);
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((positions[mid] as number) < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo < positions.length && positions[lo] === pos ? lo : -1;
}

/** True when the positions never decrease. */
export function isSorted(positions: Int32Array, from = 0, to = positions.length): boolean {
  for (let r = from + 1; r < to; r++) if ((positions[r] as number) < (positions[r - 1] as number)) return false;
  return true;
}
