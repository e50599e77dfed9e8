// What a custom task receives in its worker: one contig's rows as zero-copy views of the shared
// buffers, and helpers to read allele codes.

import { AlleleDictionary } from '../layout/allele-dictionary.js';
import { batchViews, type BatchLayout, type MatrixLayout } from '../layout/matrix-layout.js';

/** One contig's rows, seen from a worker thread. Every array is a view of the main thread's memory. */
export interface ContigView {
  /** The contig's name, its index in `Matrix.contigs`, and its number of sites. */
  contig: { name: string; index: number; sites: number };
  samples: readonly string[];
  /** POS of each site. */
  pos: Int32Array;
  /** REF allele code of each site. */
  ref: Uint8Array;
  /** One array of allele codes per haplotype column, in `samples` order. */
  haplotypes: Uint8Array[];
  /** Allele strings by code. */
  alleles: readonly string[];
  /** Code of an allele, or -1 when the matrix never has it. */
  code(allele: string): number;
}

/** Builds the view of `batch` (rows `[from, to)`) over the shared buffers. */
export function contigView(layout: MatrixLayout, batch: BatchLayout, index: number, from = 0, to = batch.rows): ContigView {
  const views = batchViews(layout, batch, from, to);
  const alleles = AlleleDictionary.attach(layout.alleles).toStrings();
  return {
    contig: { name: layout.contigs[batch.contig] ?? '', index, sites: to - from },
    samples: layout.samples,
    pos: views.pos,
    ref: views.ref,
    haplotypes: views.haplotypes,
    alleles,
    code: (allele) => alleles.indexOf(allele),
  };
}

/** A custom per-contig task: the default export of a task module. */
export type ContigTask<Args = unknown, Result = unknown> = (view: ContigView, args: Args) => Result | Promise<Result>;

/**
 * Declares a task module's default export with its types.
 *
 * @example
 * // sites-per-contig.js
 * import { defineTask } from 'genomatrix';
 * export default defineTask((view) => view.pos.length);
 */
export function defineTask<Args = unknown, Result = unknown>(task: ContigTask<Args, Result>): ContigTask<Args, Result> {
  return task;
}
