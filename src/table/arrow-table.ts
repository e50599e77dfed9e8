// An apache-arrow `Table` over the shared column buffers, built without copying them: one record
// batch per contig, `CHROM` and the allele columns dictionary-encoded.

import * as arrow from 'apache-arrow';
import { AlleleDictionary } from '../layout/allele-dictionary.js';
import { batchViews, type MatrixLayout } from '../layout/matrix-layout.js';

/** Dictionary ids in the schema (and in Arrow IPC files). */
export const DictionaryId = { alleles: 0, contigs: 1 } as const;

/** The Arrow types of the matrix columns. */
export function matrixTypes() {
  return {
    chrom: new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32(), DictionaryId.contigs, false),
    pos: new arrow.Int32(),
    allele: new arrow.Dictionary(new arrow.Utf8(), new arrow.Uint8(), DictionaryId.alleles, false),
  };
}

/** The schema: `CHROM`, `POS`, `REF`, then one column per haplotype. */
export function matrixSchema(samples: readonly string[], metadata?: Map<string, string>): arrow.Schema {
  const types = matrixTypes();
  const fields = [
    new arrow.Field('CHROM', types.chrom, false),
    new arrow.Field('POS', types.pos, false),
    new arrow.Field('REF', types.allele, false),
    ...samples.map((name) => new arrow.Field(name, types.allele, false)),
  ];
  return new arrow.Schema(fields, metadata);
}

/**
 * Builds the Arrow table. `contigCodes` holds the CHROM code of every row of every batch, batch after
 * batch (the only column the layout does not already have); it is filled here.
 */
export function arrowTable(layout: MatrixLayout, contigCodes: Int32Array): arrow.Table {
  const types = matrixTypes();
  const schema = matrixSchema(layout.samples);
  const alleles = arrow.vectorFromArray(AlleleDictionary.attach(layout.alleles).toStrings(), new arrow.Utf8());
  const contigs = arrow.vectorFromArray(layout.contigs, new arrow.Utf8());
  let at = 0;
  const batches = layout.batches.map((batch) => {
    const views = batchViews(layout, batch);
    const chrom = contigCodes.subarray(at, at + batch.rows).fill(batch.contig);
    at += batch.rows;
    const codes = (values: Uint8Array) => arrow.makeData({ type: types.allele, length: batch.rows, data: values, dictionary: alleles });
    const children = [
      arrow.makeData({ type: types.chrom, length: batch.rows, data: chrom, dictionary: contigs }),
      arrow.makeData({ type: types.pos, length: batch.rows, data: views.pos }),
      codes(views.ref),
      ...views.haplotypes.map(codes),
    ];
    const struct = arrow.makeData({ type: new arrow.Struct(schema.fields), length: batch.rows, children, nullCount: 0 });
    return new arrow.RecordBatch(schema, struct);
  });
  return new arrow.Table(schema, batches);
}
