// Low-memory mode streams the matrix contig by contig: the same table as in memory, for plain and
// gzip input, with many small chunks so that contigs end inside chunks and at their edges, and
// contig columns that hold one contig, never the whole matrix.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { haplotype, loadMatrix, streamHaplotype } from 'genomatrix';
import { WorkerPool } from '../src/dispatch/worker-pool.js';
import { detectInput } from '../src/read/input-format.js';
import { GROW_ROWS, streamContigs } from '../src/read/stream-contigs.js';
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
        const summary = await streamHaplotype(join(scratch.dir, input), { output, chunkBytes, threads: 2 });
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

  it('holds one contig at a time: column buffers sized by the largest contig, not the matrix', async () => {
    const pool = new WorkerPool(2);
    try {
      const seen: [string, number, number][] = [];
      for await (const contig of streamContigs(detectInput(plain), pool, { chunkBytes: 2048 })) {
        const rows = contig.layout.batches[0]?.rows ?? 0;
        seen.push([contig.name, rows, contig.layout.buffers[1]?.byteLength ?? 0]);
      }
      assert.deepEqual(seen.map(([name, rows]) => [name, rows]), sizes.map((sites, i) => [`ctg${i}`, sites]));
      const bound = Math.ceil(Math.max(...sizes) / GROW_ROWS) * GROW_ROWS;
      assert.ok(bound < sizes.reduce((a, b) => a + b), 'the test matrix tells one contig from the whole');
      for (const [name, rows, bytes] of seen) assert.ok(bytes >= rows && bytes <= bound, `${name}: ${bytes} bytes of REF column for ${rows} rows`);
    } finally {
      await pool.destroy();
    }
  });
});
