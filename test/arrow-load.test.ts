// Opening a packed .arrow matrix: the file's column bytes are read once into shared memory and
// every column (in the layout, in the apache-arrow Table, in the workers) is a view of them.
// Past `maxBufferBytes` (4 GiB by default) the columns are spread over several buffers.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { haplotype, loadMatrix, pack, type Matrix } from 'genomatrix';
import type { Vector } from 'apache-arrow';
import { fixture, generate, root, scratchDir } from './helpers.js';

const golden = join(root, 'native-layout', 'small.arrow');

describe('an .arrow matrix in shared memory', () => {
  let matrix: Matrix;
  let fromText: Matrix;
  before(async () => {
    [matrix, fromText] = await Promise.all([loadMatrix(golden, { threads: 2 }), loadMatrix(fixture('small.tsv'), { threads: 1 })]);
  });
  after(() => Promise.all([matrix.close(), fromText.close()]));

  it('reads the file into one SharedArrayBuffer: file offset = buffer offset, no transformation', () => {
    const file = readFileSync(golden);
    const { buffers, batches } = matrix.layout;
    assert.equal(buffers.length, 1);
    const sab = buffers[0] as SharedArrayBuffer;
    assert.ok(sab instanceof SharedArrayBuffer);
    assert.equal(sab.byteLength, file.length);
    for (const batch of batches) {
      for (const [ref, width] of [[batch.pos, 4], [batch.ref, 1], ...batch.haplotypes.map((h) => [h, 1] as const)] as const) {
        assert.equal(ref.buffer, 0);
        assert.equal(ref.byteOffset % 64, 0, 'columns are 64-byte aligned');
        // The file's three small contigs are one record batch: each from its own row of its columns.
        const start = ref.byteOffset + (batch.row ?? 0) * width;
        const end = start + batch.rows * width;
        assert.deepEqual(new Uint8Array(sab, start, end - start), new Uint8Array(file.subarray(start, end)));
      }
    }
  });

  it('the Table columns alias that one buffer: no parse, no second copy', () => {
    const sab = matrix.layout.buffers[0] as SharedArrayBuffer;
    const table = matrix.table;
    assert.equal(table.batches.length, 3, 'a contig is a record batch of the Table');
    table.batches.forEach((batch, b) => {
      const layout = matrix.layout.batches[b];
      assert.ok(layout);
      const pos = batch.getChild('POS')?.data[0];
      assert.equal(pos?.values.buffer, sab);
      assert.equal(pos?.values.byteOffset, layout.pos.byteOffset + 4 * (layout.row ?? 0));
      for (const name of ['REF', ...matrix.samples]) {
        const data = batch.getChild(name)?.data[0];
        assert.equal(data?.values.buffer, sab, `${name} of batch ${b}`);
        assert.equal(data?.values.BYTES_PER_ELEMENT, 1);
      }
    });
  });

  it('holds the values, codes and dictionary order of the text it was packed from', () => {
    assert.deepEqual(matrix.samples, fromText.samples);
    assert.deepEqual(matrix.alleles, fromText.alleles);
    assert.deepEqual(matrix.contigs, fromText.contigs);
    assert.deepEqual(matrix.origin, { format: 'arrow', sourceName: 'small.tsv', sourceSize: 487 });
    for (const contig of matrix.contigs) {
      const [a, b] = [matrix.contigViews(contig.name), fromText.contigViews(contig.name)];
      assert.deepEqual(a.pos, b.pos);
      assert.deepEqual(a.ref, b.ref);
      assert.deepEqual(a.haplotypes, b.haplotypes);
    }
    const row = (m: Matrix, i: number) => ['CHROM', 'POS', 'REF', ...m.samples].map((name) => (m.table.getChild(name) as Vector).get(i));
    for (let i = 0; i < matrix.sites; i++) assert.deepEqual(row(matrix, i), row(fromText, i));
  });

  it('worker threads read and write that same memory', async () => {
    const column = matrix.table.getChild('3b') as Vector;
    const results = await matrix.mapContigs<{ contig: string; sites: number; firstPos: number; before: string; shared: boolean }>(new URL('./tasks/mark-site.js', import.meta.url), { allele: 'G' });
    assert.deepEqual(
      results.map((r) => [r.contig, r.sites, r.firstPos, r.before, r.shared]),
      [['chr1', 11, 100, 'A', true], ['chr2', 5, 5, 'C', true], ['chr3', 2, 1, 'N', true]],
    );
    assert.equal(column.get(0), 'G');
    assert.equal(new Uint8Array(matrix.layout.buffers[0] as SharedArrayBuffer)[matrix.layout.batches[0]?.haplotypes[0]?.byteOffset ?? -1], matrix.alleles.indexOf('G'));
  });
});

describe('an .arrow matrix larger than one buffer', () => {
  const scratch = scratchDir();
  const text = join(scratch.dir, 'gen.tsv');
  const packed = join(scratch.dir, 'gen.arrow');
  const together = join(scratch.dir, 'together.arrow');
  let expected: string;
  const haplotypes = 6;
  const sites = 3000;
  before(async () => {
    generate(text, ['--contigs', '3', '--sites', String(sites), '--haplotypes', String(haplotypes), '--seed', '11']);
    const matrix = await loadMatrix(text, { threads: 2 });
    try {
      // Each contig a record batch of its own (batches of at most 1,000 bytes of columns), and
      // the three as one batch (the default: small contigs together).
      await pack(matrix, { output: packed, batchBytes: 1000 });
      await pack(matrix, { output: together });
      await haplotype(matrix, { output: join(scratch.dir, 'expected.tsv') });
      expected = readFileSync(join(scratch.dir, 'expected.tsv'), 'utf8');
    } finally {
      await matrix.close();
    }
  });
  after(scratch.cleanup);

  async function haplotypesWith(maxBufferBytes: number, file = packed): Promise<{ buffers: SharedArrayBuffer[]; output: string }> {
    const matrix = await loadMatrix(file, { threads: 2, maxBufferBytes });
    try {
      const out = join(scratch.dir, `out-${maxBufferBytes}.tsv`);
      await haplotype(matrix, { output: out });
      // Every column view stays inside its buffer.
      for (const contig of matrix.contigs) assert.equal(matrix.contigViews(contig.name).pos.length, contig.sites);
      return { buffers: matrix.layout.buffers, output: readFileSync(out, 'utf8') };
    } finally {
      await matrix.close();
    }
  }

  it('one buffer per record batch when a batch fits in the limit', async () => {
    const batchBytes = sites * (4 + 1 + haplotypes) + 64 * (2 + haplotypes);
    const { buffers, output } = await haplotypesWith(batchBytes + 64);
    assert.equal(buffers.length, 3);
    for (const buffer of buffers) assert.ok(buffer.byteLength <= batchBytes + 64);
    assert.equal(output, expected);
  });

  it('one buffer per column when a batch does not fit', async () => {
    const { buffers, output } = await haplotypesWith(4 * sites);
    assert.equal(buffers.length, 3 * (2 + haplotypes), 'POS, REF and each haplotype of each contig');
    assert.deepEqual(new Set(buffers.map((buffer) => buffer.byteLength)), new Set([4 * sites, sites]));
    assert.equal(output, expected);
  });

  it('the contigs of one record batch share its buffer, read once', async () => {
    const batchBytes = 3 * sites * (4 + 1 + haplotypes) + 64 * (2 + haplotypes);
    const { buffers, output } = await haplotypesWith(batchBytes + 64, together);
    assert.equal(buffers.length, 1);
    assert.ok((buffers[0] as SharedArrayBuffer).byteLength <= batchBytes + 64);
    assert.equal(output, expected);
    const second = await loadMatrix(together, { threads: 1, maxBufferBytes: batchBytes + 64, contigs: ['chr2', 'chr3'] });
    try {
      assert.equal(second.layout.buffers.length, 1);
      assert.deepEqual(second.contigs.map((contig) => [contig.name, contig.sites]), [['chr2', sites], ['chr3', sites]]);
    } finally {
      await second.close();
    }
  });

  it('a column larger than the limit is a clear error', async () => {
    await assert.rejects(loadMatrix(packed, { maxBufferBytes: 2 * sites }), /gen\.arrow: a column of 12000 bytes is larger than the 6000 bytes one buffer can hold/);
  });
});
