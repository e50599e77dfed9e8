// A custom task for the library tests: reads its rows through `view.arrow()` (apache-arrow vectors
// built in the worker over the shared memory) and reports whether they are the raw views' memory.

import { defineTask } from 'genomatrix';

export default defineTask(async (view) => {
  const arrow = await view.arrow();
  const again = await view.arrow();
  const sameMemory = (vector: { data: readonly { values: ArrayBufferView }[] }, raw: ArrayBufferView) => {
    const values = vector.data[0]?.values;
    return values !== undefined && values.buffer === raw.buffer && values.byteOffset === raw.byteOffset && vector.data.length === 1;
  };
  const rows: unknown[][] = [];
  for (let r = 0; r < arrow.batch.numRows; r++) {
    rows.push(['POS', 'REF', ...view.samples].map((name) => arrow.column(name).get(r)));
  }
  return {
    contig: view.contig.name,
    cached: arrow === again,
    chrom: arrow.batch.getChild('CHROM')?.get(0),
    shared: sameMemory(arrow.pos, view.pos) && sameMemory(arrow.ref, view.ref) && arrow.haplotypes.every((vector, h) => sameMemory(vector, view.haplotypes[h] as Uint8Array)),
    rows,
  };
});
