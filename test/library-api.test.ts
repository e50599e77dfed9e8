// The library as a user imports it (`from 'genomatrix'`): pairs, columns as raw codes, site lookup,
// the haplotype table as a file or a stream, load progress. Expected values come from the fixture's
// text lines, read independently of the engine (matrix-text.ts).

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { haplotype, haplotypeStream, loadMatrix, UsageError, type Matrix } from 'genomatrix';
import { fixture, generate, scratchDir } from './helpers.js';
import { readMatrixText, tableRows } from './matrix-text.js';

const source = readMatrixText(fixture('small.tsv'));
const rows = tableRows(source);

describe('Matrix accessors', () => {
  let matrix: Matrix;
  before(async () => {
    matrix = await loadMatrix(fixture('small.tsv'), { threads: 2 });
  });
  after(() => matrix.close());

  it('lists samples, contigs with their row ranges, and the automatic pairs', () => {
    assert.deepEqual(matrix.samples, source.samples);
    let row = 0;
    assert.deepEqual(
      matrix.contigs.map(({ name, sites, rowStart, rowEnd }) => ({ name, sites, rowStart, rowEnd })),
      source.contigs.map(({ name, sites }) => ({ name, sites: sites.length, rowStart: row, rowEnd: (row += sites.length) })),
    );
    assert.deepEqual(matrix.pairs.map((pair) => [pair.name, ...pair.members]), [['10a10b', '10a', '10b'], ['3a3b', '3a', '3b'], ['8a8b', '8a', '8b']]);
  });

  it('column() gives per-contig zero-copy code views and the allele dictionary', () => {
    for (const name of ['REF', ...source.samples]) {
      const column = matrix.column(name);
      assert.equal(column.type, 'allele');
      assert.equal(column.length, rows.length);
      assert.equal(column.chunks.length, matrix.contigs.length);
      const h = source.samples.indexOf(name);
      rows.forEach((site, r) => {
        const expected = name === 'REF' ? site.ref : site.cells[h];
        assert.equal(column.get(r), expected, `${name} row ${r}`);
        assert.equal(column.alleles[column.raw(r)], expected);
      });
      source.contigs.forEach((contig, c) => {
        const codes = column.contig(contig.name);
        assert.equal(codes, column.chunks[c]);
        assert.deepEqual([...codes].map((code) => column.alleles[code]), contig.sites.map((site) => (name === 'REF' ? site.ref : site.cells[h])));
      });
    }
  });

  it('column() views are the shared memory itself', () => {
    const out = matrix.column('out');
    const views = matrix.contigViews('chr2');
    const chunk = out.contig('chr2');
    assert.ok(chunk.buffer instanceof SharedArrayBuffer);
    assert.equal(chunk.buffer, views.haplotypes[source.samples.indexOf('out')]?.buffer);
    assert.equal(chunk.byteOffset, views.haplotypes[source.samples.indexOf('out')]?.byteOffset);
  });

  it("column('POS') holds the positions as Int32 views", () => {
    const pos = matrix.column('POS');
    assert.equal(pos.type, 'position');
    assert.ok(pos.chunks.every((chunk) => chunk instanceof Int32Array && chunk.buffer instanceof SharedArrayBuffer));
    assert.deepEqual(rows.map((_, r) => pos.get(r)), rows.map((site) => site.pos));
    assert.deepEqual([...pos.contig('chr3')], [1, 248956422]);
  });

  it('column() of an unknown name, or of CHROM, is a usage error', () => {
    assert.throws(() => matrix.column('nope'), (error: unknown) => error instanceof UsageError && /no column nope/.test(error.message));
    assert.throws(() => matrix.column('CHROM'), /matrix\.contigs/);
    assert.throws(() => matrix.column('POS').get(rows.length), RangeError);
  });

  it('site() finds every site of the text by contig and POS, decoded', () => {
    rows.forEach((site, r) => {
      assert.deepEqual(matrix.site(site.chrom, site.pos), { contig: site.chrom, pos: site.pos, row: r, ref: site.ref, haplotypes: site.cells });
    });
    assert.equal(matrix.site('chr1', 202)?.row, undefined, 'between two sites');
    assert.equal(matrix.site('chr1', 99), undefined, 'before the first');
    assert.equal(matrix.site('chr1', 211), undefined, 'after the last');
    assert.equal(matrix.site('chrX', 100), undefined, 'no such contig');
    assert.equal(matrix.site(2, 248956422)?.ref, 'T', 'contig by index');
  });

  it('haplotypeStream() gives the bytes haplotype() writes to a file', async () => {
    const scratch = scratchDir();
    try {
      const output = join(scratch.dir, 'out.tsv');
      const progress: number[] = [];
      const summary = await haplotype(matrix, { output, chunkRows: 4, onProgress: (done, total) => progress.push(done, total) });
      const file = readFileSync(output, 'utf8');
      assert.equal(file, readFileSync(fixture('small.expected.tsv'), 'utf8'));
      assert.equal(summary.lines, file.split('\n').length - 2);
      assert.deepEqual(progress.slice(-2), [rows.length, rows.length]);
      assert.equal(await text(haplotypeStream(matrix, { chunkRows: 3 })), file);
      assert.equal(await text(haplotypeStream(matrix, { pairs: '10a:10b' })), readFileSync(fixture('small.pairs-10a-10b.expected.tsv'), 'utf8'));
    } finally {
      scratch.cleanup();
    }
  });

  it('an aborted haplotype run rejects and leaves no output file', async () => {
    const scratch = scratchDir();
    try {
      const output = join(scratch.dir, 'out.tsv');
      const signal = AbortSignal.abort();
      await assert.rejects(haplotype(matrix, { output, signal }), { name: 'AbortError' });
      assert.equal(existsSync(output), false);
      await assert.rejects(text(haplotypeStream(matrix, { signal })), { name: 'AbortError' });
    } finally {
      scratch.cleanup();
    }
  });
});

describe('loadMatrix options', () => {
  it('takes explicit pairs, used by haplotype() by default', async () => {
    const matrix = await loadMatrix(fixture('small.tsv'), { threads: 1, pairs: [['10b', '10a']] });
    try {
      assert.deepEqual(matrix.pairs.map((pair) => pair.name), ['10a10b']);
      assert.equal(await text(haplotypeStream(matrix)), readFileSync(fixture('small.pairs-10a-10b.expected.tsv'), 'utf8'));
    } finally {
      await matrix.close();
    }
  });

  it('rejects pairs that name no column, and stops its workers', async () => {
    await assert.rejects(loadMatrix(fixture('small.tsv'), { threads: 1, pairs: '10a:11b' }), (error: unknown) => error instanceof UsageError && /'11b' is not a haplotype column/.test(error.message));
  });

  it('reports progress up to the file size, for plain and gzip input', async () => {
    const scratch = scratchDir();
    try {
      for (const name of ['plain.tsv', 'packed.tsv.gz']) {
        const path = join(scratch.dir, name);
        generate(path, ['--contigs', '2', '--sites', '3000', '--haplotypes', '5', ...(name.endsWith('.gz') ? ['--gzip'] : [])]);
        const calls: [number, number][] = [];
        const matrix = await loadMatrix(path, { threads: 2, chunkBytes: 8192, onProgress: (done, total) => calls.push([done, total]) });
        await matrix.close();
        const size = readFileSync(path).length;
        // A plain file is parsed in 8 KiB ranges here, one report each; a small gzip file inflates in one piece.
        assert.ok(calls.length >= (name.endsWith('.gz') ? 1 : 2), `${name}: ${calls.length} progress reports`);
        assert.ok(calls.every(([done, total], i) => total === size && done <= size && done >= (calls[i - 1]?.[0] ?? 0)), `${name}: ${JSON.stringify(calls)}`);
        assert.equal(calls.at(-1)?.[0], size);
      }
    } finally {
      scratch.cleanup();
    }
  });

  it('site() scans a contig whose positions are not sorted', async () => {
    const scratch = scratchDir();
    try {
      const path = join(scratch.dir, 'unsorted.tsv');
      const lines = ['CHROM\tPOS\tREF\tx', 'c\t30\tA\tA', 'c\t10\tC\tG', 'c\t20\tG\tG', 'd\t5\tT\tN'];
      writeFileSync(path, lines.join('\n') + '\n');
      const matrix = await loadMatrix(path, { threads: 1, allowUnsorted: true });
      try {
        assert.deepEqual(matrix.site('c', 10), { contig: 'c', pos: 10, row: 1, ref: 'C', haplotypes: ['G'] });
        assert.equal(matrix.site('c', 20)?.row, 2);
        assert.equal(matrix.site('c', 30)?.row, 0);
        assert.equal(matrix.site('c', 5), undefined);
        assert.equal(matrix.site('d', 5)?.haplotypes[0], 'N');
      } finally {
        await matrix.close();
      }
    } finally {
      scratch.cleanup();
    }
  });
});
