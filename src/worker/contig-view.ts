// What a custom task receives in its worker: one contig's rows (or one chunk of them) as zero-copy
// views of the shared buffers, the contig's metadata, and helpers to read allele codes.
//
// apache-arrow is not imported here: it costs ~150 ms per thread, and the built-in kernels share
// these workers. `view.arrow()` imports it on first use (once per worker thread, then cached).

import { AlleleCode, type Contig, type HaplotypePair, type ViewRange } from '../layout/types.js';
import { AlleleDictionary } from '../layout/allele-dictionary.js';
import { batchViews, type BatchLayout, type MatrixLayout } from '../layout/matrix-layout.js';
import type { ContigArrow } from './contig-arrow.js';

export { AlleleCode } from '../layout/types.js';

/**
 * One contig's rows `[from, to)`, seen from a worker thread. Every array is a view of the memory the
 * main thread holds: reading costs no copy, and writes are seen by the main thread and every worker.
 */
export interface ContigView {
  /** The whole contig: name, index in `Matrix.contigs`, sites, and its table rows `[rowStart, rowEnd)`. */
  contig: Contig;
  /** First row of this view within the contig (0 unless `mapContigs` ran with `chunkRows`). */
  from: number;
  /** End (exclusive) of this view's rows within the contig. */
  to: number;
  /** Rows in this view: `to - from`. */
  sites: number;
  /**
   * Table row of this view's row 0 (`contig.rowStart + from`): where row `r` of this view goes in a
   * result buffer with one slot per site of the matrix.
   */
  rowOffset: number;
  /** Haplotype column names. */
  samples: readonly string[];
  /** The matrix's diploid pairs (`Matrix.pairs`). */
  pairs: readonly HaplotypePair[];
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
  /** The allele string of a code. */
  allele(code: number): string;
  /** True for a called allele: neither `N` (missing) nor `-` (deletion). */
  called(code: number): boolean;
  /** The allele at `row` of this view in a haplotype column (index or name) or in `REF`. */
  decode(row: number, column: number | string): string;
  /** The codes of one haplotype column, by name. */
  haplotype(name: string): Uint8Array;
  /**
   * The same rows as apache-arrow vectors over the same memory (no copy). The first call in a worker
   * thread imports apache-arrow (~150 ms); later calls, in any task on that thread, do not.
   */
  arrow(): Promise<ContigArrow>;
}


/** Builds the view of rows `[from, to)` of `batch` over the shared buffers. */
export function contigView(layout: MatrixLayout, batch: BatchLayout, range: ViewRange, pairs: readonly HaplotypePair[] = []): ContigView {
  const { contig, from, to } = range;
  const views = batchViews(layout, batch, from, to);
  const alleles = AlleleDictionary.attach(layout.alleles).toStrings();
  const columnOf = (column: number | string): Uint8Array => {
    if (column === 'REF') return views.ref;
    const index = typeof column === 'number' ? column : layout.samples.indexOf(column);
    const codes = views.haplotypes[index];
    if (!codes) throw new RangeError(`no haplotype column ${column}`);
    return codes;
  };
  const allele = (code: number): string => {
    const value = alleles[code];
    if (value === undefined) throw new RangeError(`no allele has code ${code}`);
    return value;
  };
  let arrow: Promise<ContigArrow> | undefined;
  return {
    contig,
    from,
    to,
    sites: to - from,
    rowOffset: contig.rowStart + from,
    samples: layout.samples,
    pairs,
    pos: views.pos,
    ref: views.ref,
    haplotypes: views.haplotypes,
    alleles,
    code: (value) => alleles.indexOf(value),
    allele,
    called: (code) => code !== AlleleCode.N && code !== AlleleCode.deletion,
    decode: (row, column) => allele(columnOf(column)[row] ?? -1),
    haplotype: (name) => columnOf(name),
    arrow: () => (arrow ??= import('./contig-arrow.js').then((module) => module.contigArrow(layout, batch, range, alleles))),
  };
}

/** A custom per-contig task: the default export of a task module. */
export type ContigTask<Args = unknown, Result = unknown> = (view: ContigView, args: Args) => Result | Promise<Result>;

/** The result type of a task (`typeof import('./task.js').default`), or the type itself when it is not a task. */
export type TaskResult<Task> = Task extends (view: ContigView, args: never) => infer Result ? Awaited<Result> : Task;

/** The argument type of a task, or `unknown` when `Task` is not a task. */
export type TaskArgs<Task> = Task extends (view: ContigView, args: infer Args) => unknown ? Args : unknown;

/**
 * Declares a task module's default export with its types; `mapContigs` runs it in worker threads.
 *
 * @example
 * // variable-sites.ts
 * import { defineTask } from 'genomatrix';
 * export default defineTask((view, args: { minCalled: number }) => {
 *   let variable = 0;
 *   for (let r = 0; r < view.sites; r++) {
 *     const calls = view.haplotypes.filter((codes) => view.called(codes[r]!));
 *     if (calls.length >= args.minCalled && calls.some((codes) => codes[r] !== view.ref[r])) variable++;
 *   }
 *   return { contig: view.contig.name, variable };
 * });
 *
 * // main.ts: the result type comes from the task's type
 * const counts = await matrix.mapContigs<typeof import('./variable-sites.js').default>(
 *   new URL('./variable-sites.js', import.meta.url), { minCalled: 2 });
 */
export function defineTask<Args = unknown, Result = unknown>(task: ContigTask<Args, Result>): ContigTask<Args, Result> {
  return task;
}
