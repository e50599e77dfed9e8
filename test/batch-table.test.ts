import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { haplotype, loadMatrix, pack, stats, vcf } from '../src/index.js';
import { contigsMade } from '../src/layout/contig-names.js';
import { batchAt, batchChecked, batchTable, contigEnd, tableLayout, tableOf, withBatches, type BatchTable } from '../src/layout/batch-table.js';
import type { BatchCheck } from '../src/layout/batch-check.js';
import { LAYOUT_VERSION, type BatchLayout, type MatrixLayout } from '../src/layout/matrix-layout.js';
import { generate, scratchDir } from './helpers.js';

/** Whether `layout`'s batch objects are still to be made (its `batches` an accessor, not yet read). */
const lazy = (layout: MatrixLayout): boolean => Object.getOwnPropertyDescriptor(layout, 'batches')?.get !== undefined;

const fields = (): Omit<MatrixLayout, 'batches'> => ({ version: LAYOUT_VERSION, buffers: [new SharedArrayBuffer(64), new SharedArrayBuffer(64)], alleles: new SharedArrayBuffer(8), samples: ['a', 'b'], contigs: ['x', 'y'] });

describe('batch tables', () => {
  it('makes a table of batch objects: one column set for batches sharing references, the objects kept', () => {
    const pos = { buffer: 0, byteOffset: 0 };
    const ref = { buffer: 1, byteOffset: 0 };
    const haplotypes = [{ buffer: 1, byteOffset: 16 }];
    const other = { buffer: 1, byteOffset: 32 };
    // Only whether a batch carries a check matters to the table.
    const check = { file: 'm.arrow', what: 'contig y', rows: 4 } as unknown as BatchCheck;
    const batches: BatchLayout[] = [
      { contig: 0, rows: 3, row: 0, pos, ref, haplotypes },
      { contig: 0, rows: 2, row: 3, pos, ref, haplotypes },
      { contig: 1, rows: 4, pos, ref: other, haplotypes, check },
      { contig: 1, rows: 1, row: 9, pos, ref, haplotypes },
    ];
    const table = tableOf(batches);
    assert.equal(table.length, 4);
    assert.deepEqual([...table.contig], [0, 0, 1, 1]);
    assert.deepEqual([...table.rows], [3, 2, 4, 1]);
    assert.deepEqual([...table.row], [0, 3, 0, 9]);
    // The third batch's REF is another column: a set of its own; the fourth is the first set again.
    assert.deepEqual([...table.set], [0, 0, 1, 0]);
    assert.equal(table.sets.length, 2);
    assert.equal(batchAt(table, 2), batches[2]);
    assert.equal(batchChecked(table, 2), true);
    assert.equal(batchChecked(table, 1), false);
    assert.equal(contigEnd(table, 0), 2);
    assert.equal(contigEnd(table, 2), 4);
  });

  it('makes a layout\'s batch objects from its table when first read, once', () => {
    const set = { pos: { buffer: 0, byteOffset: 0 }, ref: { buffer: 1, byteOffset: 0 }, haplotypes: [{ buffer: 1, byteOffset: 64 }] };
    const table: BatchTable = { length: 2, contig: Float64Array.of(0, 1), rows: Float64Array.of(5, 7), row: Float64Array.of(0, 5), set: Float64Array.of(0, 0), sets: [set] };
    const layout = tableLayout(fields(), table);
    assert.equal(batchTable(layout), table);
    // A layout made from it with other batches, as a contig's unit: its own batches, the table's not made.
    const unit = withBatches(layout, [batchAt(table, 1)]);
    assert.deepEqual(unit.batches, [{ contig: 1, rows: 7, row: 5, ...set }]);
    assert.equal(unit.contigs, layout.contigs);
    assert.ok(lazy(layout));
    const batches = layout.batches;
    assert.ok(!lazy(layout));
    assert.equal(layout.batches, batches);
    assert.deepEqual(batches, [
      { contig: 0, rows: 5, row: 0, ...set },
      { contig: 1, rows: 7, row: 5, ...set },
    ]);
    // Posted to a worker (structured clone), the layout carries its batches.
    assert.deepEqual(structuredClone(tableLayout(fields(), table)).batches, batches);
    // Given other batches, the layout's table is theirs.
    const other = tableLayout(fields(), table);
    other.batches = [batchAt(table, 1)];
    assert.deepEqual([...batchTable(other).rows], [7]);
  });

  it('loads a text matrix whose contig names become strings only when read: not for the haplotype table or the statistics, whose bytes are the same either way', async () => {
    const scratch = scratchDir();
    try {
      const path = join(scratch.dir, 'contigs.tsv');
      generate(path, ['--contigs', '300', '--sites', '5', '--haplotypes', '6']);
      const names = [...new Set(readFileSync(path, 'utf8').split('\n').slice(1, -1).map((line) => line.slice(0, line.indexOf('\t'))))];
      assert.equal(names.length, 300);
      const matrix = await loadMatrix(path, { threads: 2 });
      try {
        const outputs = async (tag: string): Promise<string[]> => {
          await haplotype(matrix, { output: join(scratch.dir, `${tag}.tsv`) });
          await stats(matrix, { output: join(scratch.dir, `${tag}.stats`) });
          return [`${tag}.tsv`, `${tag}.stats`].map((file) => readFileSync(join(scratch.dir, file), 'utf8'));
        };
        const before = await outputs('before');
        assert.ok(!contigsMade(matrix.layout), 'a conversion made the names strings');
        const named = new Set((before[1] as string).split('\n').map((line) => line.slice(0, line.indexOf('\t'))));
        assert.deepEqual(names.filter((name) => !named.has(name)), [], 'the statistics name every contig');
        assert.deepEqual(matrix.layout.contigs, names);
        assert.ok(contigsMade(matrix.layout));
        // The names given as strings (the layout's span tasks then take their bytes from them): the same bytes.
        matrix.layout.contigs = [...names];
        assert.deepEqual(await outputs('after'), before, 'the same bytes with the names as strings');
      } finally {
        await matrix.close();
      }
    } finally {
      scratch.cleanup();
    }
  });

  it('loads a text matrix whose conversions never make its batch objects', async () => {
    const scratch = scratchDir();
    try {
      const path = join(scratch.dir, 'contigs.tsv');
      generate(path, ['--contigs', '300', '--sites', '20', '--haplotypes', '6']);
      const matrix = await loadMatrix(path, { threads: 2 });
      try {
        assert.equal(matrix.sites, 300 * 20);
        await haplotype(matrix, { output: join(scratch.dir, 'out.tsv') });
        await vcf(matrix, { output: join(scratch.dir, 'out.vcf') });
        await pack(matrix, { output: join(scratch.dir, 'out.arrow') });
        assert.ok(lazy(matrix.layout), 'a conversion read the batch objects');
        // The library's view of the contigs reads them, and gets every contig.
        assert.equal(matrix.contigs.length, 300);
        assert.ok(!lazy(matrix.layout));
        assert.equal(matrix.layout.batches.length, 300);
      } finally {
        await matrix.close();
      }
    } finally {
      scratch.cleanup();
    }
  });
});
