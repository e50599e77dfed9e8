// apache-arrow vectors over one view's rows, built in the worker from the shared buffers without
// copying them. Only `ContigView.arrow()` imports this module, so only tasks that ask for Arrow
// vectors pay for loading apache-arrow.

import * as arrow from 'apache-arrow';
import { batchViews, type BatchLayout, type MatrixLayout } from '../layout/matrix-layout.js';
import { matrixSchema, matrixTypes } from '../table/arrow-table.js';
import type { ViewRange } from '../layout/types.js';

/** An allele column: dictionary-encoded, one byte (the code) a cell. */
export type AlleleVector = arrow.Vector<arrow.Dictionary<arrow.Utf8, arrow.Uint8>>;

/** A view's rows as apache-arrow objects; every allele and POS vector shares the main thread's memory. */
export interface ContigArrow {
  /**
   * The rows as one record batch with the matrix's schema (`CHROM`, `POS`, `REF`, haplotypes).
   * `CHROM` is the one column made here (4 bytes a row, filled with the contig's code).
   */
  batch: arrow.RecordBatch;
  pos: arrow.Vector<arrow.Int32>;
  ref: AlleleVector;
  /** One vector per haplotype column, in `samples` order. */
  haplotypes: AlleleVector[];
  /** A column by name (`POS`, `REF` or a haplotype). */
  column(name: string): AlleleVector | arrow.Vector<arrow.Int32>;
}

/** Builds the Arrow vectors of rows `[from, to)` of `batch`. */
export function contigArrow(layout: MatrixLayout, batch: BatchLayout, range: ViewRange, alleleStrings: readonly string[]): ContigArrow {
  const types = matrixTypes();
  const schema = matrixSchema(layout.samples);
  const length = range.to - range.from;
  const views = batchViews(layout, batch, range.from, range.to);
  const alleles = arrow.vectorFromArray([...alleleStrings], new arrow.Utf8());
  const contigs = arrow.vectorFromArray(layout.contigs, new arrow.Utf8());
  const codes = (values: Uint8Array) => arrow.makeData({ type: types.allele, length, data: values, dictionary: alleles });
  const chrom = new Int32Array(length).fill(batch.contig);
  const children = [
    arrow.makeData({ type: types.chrom, length, data: chrom, dictionary: contigs }),
    arrow.makeData({ type: types.pos, length, data: views.pos }),
    codes(views.ref),
    ...views.haplotypes.map(codes),
  ];
  const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length, children, nullCount: 0 });
  const recordBatch = new arrow.RecordBatch(schema, struct);
  const vector = (name: string) => {
    const child = recordBatch.getChild(name);
    if (!child || name === 'CHROM') throw new RangeError(`no column ${name}`);
    return child as AlleleVector | arrow.Vector<arrow.Int32>;
  };
  return {
    batch: recordBatch,
    pos: vector('POS') as arrow.Vector<arrow.Int32>,
    ref: vector('REF') as AlleleVector,
    haplotypes: layout.samples.map((name) => vector(name) as AlleleVector),
    column: vector,
  };
}
