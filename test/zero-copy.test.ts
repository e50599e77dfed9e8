// The matrix is held once: the Arrow table's columns are views of the shared buffers, and worker
// threads read and write that very memory.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { loadMatrix, type Matrix } from 'genomatrix';
import { Table, Vector } from 'apache-arrow';
import { cliPath, fixture, generate, scratchDir } from './helpers.js';

describe('shared columns', () => {
  let matrix: Matrix;
  before(async () => {
    matrix = await loadMatrix(fixture('small.tsv'), { threads: 2 });
  });
  after(() => matrix.close());

  it('exposes a real apache-arrow Table whose column buffers are the shared buffers', () => {
    const table = matrix.table;
    assert.ok(table instanceof Table);
    assert.equal(table.numRows, 18);
    assert.equal(table.batches.length, 3, 'one record batch per contig');
    assert.deepEqual(table.schema.fields.map((f) => f.name), ['CHROM', 'POS', 'REF', '3b', '3a', '10a', '10b', '8a', '8b', 'out']);
    const { buffers } = matrix.layout;
    table.batches.forEach((batch, b) => {
      const layout = matrix.layout.batches[b];
      assert.ok(layout);
      const pos = batch.getChild('POS')?.data[0];
      assert.ok(pos?.values.buffer instanceof SharedArrayBuffer);
      assert.equal(pos.values.buffer, buffers[layout.pos.buffer], 'POS values are the shared buffer itself');
      const row = layout.row ?? 0;
      assert.equal(pos.values.byteOffset, layout.pos.byteOffset + 4 * row);
      matrix.samples.forEach((sample, h) => {
        const data = batch.getChild(sample)?.data[0];
        const ref = layout.haplotypes[h];
        assert.ok(data && ref);
        assert.ok(data.values.buffer instanceof SharedArrayBuffer);
        assert.equal(data.values.buffer, buffers[ref.buffer]);
        assert.equal(data.values.byteOffset, ref.byteOffset + row);
        assert.equal(data.values.BYTES_PER_ELEMENT, 1, 'one byte a base');
      });
    });
  });

  it('decodes the dictionary columns to the input values', () => {
    const table = matrix.table;
    const row = (i: number) => ['CHROM', 'POS', 'REF', ...matrix.samples].map((name) => (table.getChild(name) as Vector).get(i));
    assert.deepEqual(row(0), ['chr1', 100, 'A', 'A', 'A', 'A', 'G', 'A', 'A', 'A']);
    // chr1's second run (file rows 12-16) follows its first, before chr2.
    assert.deepEqual(row(6), ['chr1', 200, 'T', 'T', 'T', 'T', 'T', 'T', 'T', 'T']);
    assert.deepEqual(row(11), ['chr2', 5, 'C', 'C', 'N', 'C', 'C', 'AT', 'C', 'C']);
    assert.deepEqual(row(17), ['chr3', 248956422, 'T', 'TA', 'T', 'T', 'T', 'T', 'T', 'T']);
  });

  it('a write through the shared buffer shows in the table: no copy was made', () => {
    const views = matrix.contigViews('chr2');
    const column = matrix.table.getChild('out') as Vector;
    const old = views.haplotypes[6]?.[0];
    assert.equal(column.get(11), 'C');
    (views.haplotypes[6] as Uint8Array)[0] = matrix.alleles.indexOf('G');
    assert.equal(column.get(11), 'G');
    (views.haplotypes[6] as Uint8Array)[0] = old as number;
  });

  it('worker threads read and write the memory the main thread holds', async () => {
    const table = matrix.table;
    const first = table.getChild('3b') as Vector;
    assert.equal(first.get(0), 'A');
    const results = await matrix.mapContigs<{ contig: string; sites: number; firstPos: number; before: string; shared: boolean }>(
      new URL('./tasks/mark-site.js', import.meta.url),
      { allele: 'T' },
    );
    assert.deepEqual(results, [
      { contig: 'chr1', sites: 11, firstPos: 100, before: 'A', shared: true },
      { contig: 'chr2', sites: 5, firstPos: 5, before: 'C', shared: true },
      { contig: 'chr3', sites: 2, firstPos: 1, before: 'N', shared: true },
    ]);
    // The workers' writes are visible here, through the table built before they ran.
    assert.equal(first.get(0), 'T');
    assert.equal(first.get(11), 'T');
    assert.equal(first.get(16), 'T');
  });
});

// The bytes a worker hands back go in a shared output slot, or in a SharedArrayBuffer of their own
// when they do not fit it: never by transferring an ArrayBuffer. The first detach in a thread
// invalidates V8's "no buffer detached" assumption and throws away every function it had optimised
// (docs/internals.md, "Optimising compiles"). V8 reports it under --trace-protector-invalidation.
describe('worker output', () => {
  const detaches = (args: string[]): number => {
    const run = spawnSync(process.execPath, ['--trace-protector-invalidation', ...args], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, run.stderr);
    return `${run.stdout}${run.stderr}`.split('ArrayBufferDetaching').length - 1;
  };

  it('V8 reports a detached buffer (the check below can fail)', () => {
    assert.equal(detaches(['-e', 'const b = new ArrayBuffer(8); structuredClone(b, { transfer: [b] });']), 1);
  });

  it('no thread detaches a buffer, with outputs larger than the first output slots', () => {
    const scratch = scratchDir();
    try {
      // 20,000 sites a contig: each task's VCF or haplotype lines are larger than the 256 KiB slots
      // the driver lends first, so they come back in buffers of their own.
      const input = `${scratch.dir}/m.tsv`;
      generate(input, ['--contigs', '3', '--sites', '20000', '--haplotypes', '31', '--seed', '3']);
      for (const [command, output, ...options] of [
        ['vcf', 'o.vcf', '-O', 'v'],
        ['vcf', 'o.vcf.gz'],
        ['haplotype', 'o.txt.gz'],
        ['pack', 'o.arrow'],
        ['stats', 'o.tsv'],
      ] as const) {
        assert.equal(detaches([cliPath, command, input, '-o', `${scratch.dir}/${output}`, ...options]), 0, `${command} ${output}`);
      }
    } finally {
      scratch.cleanup();
    }
  });
});
