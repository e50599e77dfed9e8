// A streamed contig longer than one segment arrives as several batches (read/stream-contigs.ts).
// The VCF kernel reads across its range (a deletion run begins before it, or moves left across
// it: worker/vcf-deletions.ts), so it needs the contig as one batch: `wholeContig` copies the
// segments once into one buffer per column. Memory: the contig a second time, for such contigs only.

import type { BatchLayout, BufferRef } from '../layout/matrix-layout.js';
import { batchViews } from '../layout/matrix-layout.js';
import type { ContigUnit } from './contig-source.js';

/** The unit with its contig in one batch: itself when it already is, else a copy of its segments. */
export function wholeContig(unit: ContigUnit): ContigUnit {
  const { layout } = unit;
  if (layout.batches.length <= 1) return unit;
  const first = layout.batches[0] as BatchLayout;
  const rows = layout.batches.reduce((sum, batch) => sum + batch.rows, 0);
  const width = first.haplotypes.length;
  const pos = new Int32Array(new SharedArrayBuffer(4 * Math.max(rows, 1)));
  const ref = new Uint8Array(new SharedArrayBuffer(Math.max(rows, 8)));
  const haplotypes = Array.from({ length: width }, () => new Uint8Array(new SharedArrayBuffer(Math.max(rows, 8))));
  let at = 0;
  for (const batch of layout.batches) {
    const views = batchViews(layout, batch);
    pos.set(views.pos, at);
    ref.set(views.ref, at);
    views.haplotypes.forEach((column, h) => (haplotypes[h] as Uint8Array).set(column, at));
    at += batch.rows;
  }
  const refOf = (buffer: number): BufferRef => ({ buffer, byteOffset: 0 });
  const batch: BatchLayout = { contig: first.contig, rows, pos: refOf(0), ref: refOf(1), haplotypes: haplotypes.map((_, h) => refOf(2 + h)) };
  const buffers = [pos.buffer, ref.buffer, ...haplotypes.map((column) => column.buffer)] as SharedArrayBuffer[];
  return { contig: unit.contig, layout: { ...layout, buffers, batches: [batch] } };
}
