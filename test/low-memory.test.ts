// Low-memory mode streams the matrix contig by contig: the same table as in memory, for plain and
// gzip input, with many small chunks so that contigs end inside chunks and at their edges, and
// contig columns that hold one contig, never the whole matrix.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { haplotype, loadMatrix, lowMemoryHaplotype } from 'genomatrix';
import { WorkerPool } from '../src/dispatch/worker-pool.js';
import { detectInput } from '../src/read/input-format.js';
import { SEGMENT_ROWS, streamContigs } from '../src/read/stream-contigs.js';
import { generate, runCli, scratchDir } from './helpers.js';

describe('--low-memory', () => {
  const scratch = scratchDir();
  const plain = join(scratch.dir, 'matrix.tsv');
  const gzip = join(scratch.dir, 'matrix.tsv.gz');
  const sizes = [6000, 40, 9000, 1, 5000];
  let expected = '';
  before(async () => {
    // Contigs of different sizes: concatenated single-contig matrices (header line once).
    const parts = sizes.map((sites, i) => {
      const part = join(scratch.dir, `part${i}.tsv`);
      generate(part, ['--contigs', '1', '--sites', String(sites), '--seed', String(i + 1), '--haplotypes', '9']);
      return readFileSync(part, 'utf8').replaceAll(/^chr1\t/gm, `ctg${i}\t`);
    });
    const text = parts[0] + parts.slice(1).map((part) => part.slice(part.indexOf('\n') + 1)).join('');
    const { writeFileSync } = await import('node:fs');
    const { gzipSync } = await import('node:zlib');
    writeFileSync(plain, text);
    writeFileSync(gzip, gzipSync(text));
    const matrix = await loadMatrix(plain, { threads: 2 });
    try {
      await haplotype(matrix, { output: join(scratch.dir, 'expected.tsv') });
    } finally {
      await matrix.close();
    }
    expected = readFileSync(join(scratch.dir, 'expected.tsv'), 'utf8');
  });
  after(scratch.cleanup);

  for (const input of ['matrix.tsv', 'matrix.tsv.gz']) {
    for (const chunkBytes of [1024, 5000, 1 << 20]) {
      it(`${input}, ${chunkBytes}-byte chunks: the same table as in memory`, async () => {
        const output = join(scratch.dir, `${input}-${chunkBytes}.out`);
        const summary = await lowMemoryHaplotype(join(scratch.dir, input), { output, chunkBytes, threads: 2 });
        assert.equal(readFileSync(output, 'utf8'), expected);
        assert.equal(summary.sites, sizes.reduce((a, b) => a + b));
      });
    }
  }

  it('through the CLI', () => {
    for (const input of [plain, gzip]) {
      const run = runCli(['haplotype', input, '--low-memory', '--threads', '2']);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, expected);
    }
  });

  it('holds one contig at a time: segments for the largest contig, not the matrix, reused', async () => {
    const pool = new WorkerPool(2);
    const segmentRows = 1024;
    try {
      const seen: [string, number][] = [];
      const allocated = new Set<SharedArrayBuffer>();
      for await (const contig of streamContigs(detectInput(plain), pool, { chunkBytes: 2048, segmentRows })) {
        const rows = contig.layout.batches.reduce((sum, batch) => sum + batch.rows, 0);
        seen.push([contig.name, rows]);
        assert.equal(contig.layout.batches.length, Math.ceil(rows / segmentRows), contig.name);
        for (const buffer of contig.layout.buffers) allocated.add(buffer);
      }
      assert.deepEqual(seen, sizes.map((sites, i) => [`ctg${i}`, sites]));
      // A segment is a column store: POS in one buffer, REF and the 9 haplotypes side by side in another.
      const buffersPerSegment = 2;
      const largest = Math.ceil(Math.max(...sizes) / segmentRows);
      assert.equal(allocated.size, largest * buffersPerSegment, 'as many segments as the largest contig needs, reused by the others');
      assert.ok(largest < Math.ceil(sizes.reduce((a, b) => a + b) / segmentRows), 'the test matrix tells one contig from the whole');
    } finally {
      await pool.destroy();
    }
  });

  it('a packed .arrow input: read one contig at a time, the same table', async () => {
    const arrow = join(scratch.dir, 'matrix.arrow');
    const packed = runCli(['pack', plain, '-o', arrow, '--quiet']);
    assert.equal(packed.status, 0, packed.stderr);
    const output = join(scratch.dir, 'arrow.out');
    const summary = await lowMemoryHaplotype(arrow, { output, threads: 2 });
    assert.equal(readFileSync(output, 'utf8'), expected);
    assert.equal(summary.sites, sizes.reduce((a, b) => a + b));
    const run = runCli(['haplotype', arrow, '--low-memory', '--threads', '2']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, expected);
  });

  it('--contigs: only those contigs, in matrix order, from text and .arrow', async () => {
    const arrow = join(scratch.dir, 'matrix.arrow');
    const wanted = expected.split('\n').filter((line, i) => i === 0 || /^ctg[41]\t/.test(line));
    assert.ok(wanted.some((line) => line.startsWith('ctg1\t')) && wanted.some((line) => line.startsWith('ctg4\t')), 'both contigs have lines');
    for (const input of [plain, gzip, arrow]) {
      const output = join(scratch.dir, 'selected.out');
      const summary = await lowMemoryHaplotype(input, { output, threads: 2, contigs: ['ctg4', 'ctg1'] });
      assert.equal(readFileSync(output, 'utf8'), wanted.join('\n') + '\n', input);
      assert.equal(summary.sites, sizes[1]! + sizes[4]!, input);
      await assert.rejects(lowMemoryHaplotype(input, { output, contigs: ['ctg1', 'chrX'] }), { name: 'UsageError', message: `${input}: no contig chrX; its contigs are ctg0, ctg1, ctg2, ctg3, ctg4` });
    }
  });

  it('counts every site of a contig longer than one segment', async () => {
    const long = join(scratch.dir, 'long.tsv');
    generate(long, ['--contigs', '2', '--sites', String(SEGMENT_ROWS + 1000), '--haplotypes', '2']);
    const output = join(scratch.dir, 'long.out');
    const summary = await lowMemoryHaplotype(long, { output, threads: 2 });
    assert.equal(summary.sites, 2 * (SEGMENT_ROWS + 1000));
    const matrix = await loadMatrix(long, { threads: 2 });
    try {
      const inMemory = await haplotype(matrix, { output: join(scratch.dir, 'long.expected') });
      assert.equal(summary.lines, inMemory.lines);
      assert.equal(readFileSync(output, 'utf8'), readFileSync(join(scratch.dir, 'long.expected'), 'utf8'));
    } finally {
      await matrix.close();
    }
  });
});
