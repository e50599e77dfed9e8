// Reads a loaded matrix's raw buffers using only native-layout/layout-v2.json (as a reader in
// another language would) and checks every value against the input text.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LAYOUT_VERSION, loadMatrix, type BatchLayout } from 'genomatrix';
import { fixture, root } from './helpers.js';

interface Spec {
  version: number;
  columnAlignmentRows: number;
  columns: Record<'POS' | 'REF' | 'haplotype', { bytesPerRow: number }>;
  textLoadBuffers: { POS: number; REF: number };
  alleleDictionary: Record<'count' | 'offsets' | 'lengths' | 'heap', { offset: number }> & { seedAlleles: string[] };
}

const spec = JSON.parse(readFileSync(join(root, 'native-layout', 'layout-v2.json'), 'utf8')) as Spec;

function readAlleles(buffer: SharedArrayBuffer): string[] {
  const view = new DataView(buffer);
  const d = spec.alleleDictionary;
  const count = view.getInt32(d.count.offset, true);
  return Array.from({ length: count }, (_, i) => {
    const offset = view.getInt32(d.offsets.offset + 4 * i, true);
    const length = view.getInt32(d.lengths.offset + 4 * i, true);
    return Buffer.from(buffer, d.heap.offset + offset, length).toString('utf8');
  });
}

describe('native layout v2', () => {
  it('describes the real buffers of a loaded matrix', async () => {
    const matrix = await loadMatrix(fixture('small.tsv'), { threads: 2 });
    try {
      const { layout } = matrix;
      assert.equal(layout.version, spec.version);
      assert.equal(LAYOUT_VERSION, spec.version);
      const alleles = readAlleles(layout.alleles);
      assert.deepEqual(alleles.slice(0, spec.alleleDictionary.seedAlleles.length), spec.alleleDictionary.seedAlleles);
      assert.deepEqual(alleles.slice(6), ['*', 'AT', 'R', 'TA'], 'the rest sorted by bytes');

      // Expected rows straight from the text, grouped by contig in order of first appearance.
      const lines = readFileSync(fixture('small.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t'));
      const contigs = [...new Set(lines.map((cells) => cells[0]))];
      assert.deepEqual(layout.contigs, contigs);

      layout.batches.forEach((batch, b) => {
        const rows = lines.filter((cells) => cells[0] === contigs[b]);
        assert.equal(batch.rows, rows.length);
        assert.equal(batch.pos.buffer, spec.textLoadBuffers.POS);
        assert.equal(batch.ref.buffer, spec.textLoadBuffers.REF);
        // A contig of `align` rows or more starts on the next multiple of `align` rows after the
        // previous contig; a smaller one right after it.
        const align = spec.columnAlignmentRows;
        const previous = layout.batches[b - 1];
        const after = previous ? (previous.row ?? 0) + previous.rows : 0;
        const start = batch.rows >= align ? Math.ceil(after / align) * align : after;
        assert.equal(batch.row ?? 0, start);
        // One set of column references for every batch: the column regions, from row 0.
        const first = layout.batches[0] as BatchLayout;
        assert.equal(batch.pos, first.pos);
        assert.equal(batch.haplotypes, first.haplotypes);
        assert.equal(batch.pos.byteOffset, 0);
        const pos = new DataView(layout.buffers[batch.pos.buffer] as SharedArrayBuffer);
        const ref = new Uint8Array(layout.buffers[batch.ref.buffer] as SharedArrayBuffer);
        rows.forEach((cells, r) => {
          const row = start + r;
          assert.equal(pos.getInt32(batch.pos.byteOffset + row * spec.columns.POS.bytesPerRow, true), Number(cells[1]));
          assert.equal(alleles[ref[batch.ref.byteOffset + row * spec.columns.REF.bytesPerRow] as number], cells[2]);
          batch.haplotypes.forEach((column, h) => {
            assert.equal(column.buffer, spec.textLoadBuffers.REF, 'a small matrix: every one-byte column in the REF buffer');
            assert.ok(column.byteOffset > batch.ref.byteOffset + h, 'each column in its own region after REF');
            const codes = new Uint8Array(layout.buffers[column.buffer] as SharedArrayBuffer);
            assert.equal(alleles[codes[column.byteOffset + row * spec.columns.haplotype.bytesPerRow] as number], cells[3 + h]);
          });
        });
      });
    } finally {
      await matrix.close();
    }
  });
});
