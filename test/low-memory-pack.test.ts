// `pack --low-memory` (lowMemoryPack) writes a record batch as each contig is parsed and the
// dictionaries after the record batches (the IPC file format allows it). The file must hold the
// same matrix as an in-memory `pack`, for genomatrix and for other Arrow readers, including a
// contig longer than one streaming segment (its record batch is written from several buffers).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as arrow from 'apache-arrow';
import { loadMatrix, lowMemoryPack, pack } from 'genomatrix';
import { SEGMENT_ROWS } from '../src/read/stream-contigs.js';
import { assertOneLine, fixture, generate, runCli, scratchDir } from './helpers.js';
import { polars } from './polars.js';


describe('pack --low-memory', () => {
  const scratch = scratchDir();
  const text = join(scratch.dir, 'grouped.tsv.gz');
  const streamed = join(scratch.dir, 'streamed.arrow');
  const inMemory = join(scratch.dir, 'in-memory.arrow');
  before(async () => {
    generate(text, ['--contigs', '3', '--sites', String(SEGMENT_ROWS + 5000), '--haplotypes', '4', '--seed', '8', '--gzip']);
    const summary = await lowMemoryPack(text, { output: streamed, threads: 2, pairs: '1b:1a' });
    assert.deepEqual([summary.contigs, summary.sites], [3, 3 * (SEGMENT_ROWS + 5000)]);
    const matrix = await loadMatrix(text, { threads: 2 });
    try {
      await pack(matrix, { output: inMemory, pairs: '1b:1a' });
    } finally {
      await matrix.close();
    }
  });
  after(scratch.cleanup);

  it('holds the same matrix as an in-memory pack: columns, dictionaries, metadata', async () => {
    const [a, b] = await Promise.all([loadMatrix(streamed), loadMatrix(inMemory)]);
    try {
      assert.deepEqual(a.origin, b.origin);
      assert.deepEqual([a.samples, a.alleles, a.pairs], [b.samples, b.alleles, b.pairs]);
      assert.deepEqual(a.contigs, b.contigs);
      for (const contig of b.contigs) {
        const [va, vb] = [a.contigViews(contig.name), b.contigViews(contig.name)];
        assert.deepEqual([va.pos, va.ref, ...va.haplotypes], [vb.pos, vb.ref, ...vb.haplotypes], contig.name);
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('reads the same in apache-arrow and polars, with the dictionaries after the record batches', () => {
    const [a, b] = [readFileSync(streamed), readFileSync(inMemory)];
    assert.equal(a.length, b.length);
    const [ta, tb] = [arrow.tableFromIPC(a), arrow.tableFromIPC(b)];
    assert.equal(ta.schema.fields.map(String).join(), tb.schema.fields.map(String).join());
    assert.deepEqual(ta.batches.map((batch) => batch.numRows), tb.batches.map((batch) => batch.numRows));
    for (const field of tb.schema.fields) {
      const [ca, cb] = [ta.getChild(field.name), tb.getChild(field.name)];
      assert.deepEqual(ca?.data.map((data) => data.values), cb?.data.map((data) => data.values), field.name);
      assert.deepEqual(ca?.data[0]?.dictionary?.toArray(), cb?.data[0]?.dictionary?.toArray(), field.name);
    }
    if (polars) assert.ok(polars.readIPC(a).frameEqual(polars.readIPC(b)), 'polars reads the same frame');
  });

  it('through the CLI: the same haplotype table as from the text; --contigs; a split contig is refused', () => {
    const out = join(scratch.dir, 'cli.arrow');
    const packed = runCli(['pack', text, '--low-memory', '--contigs', 'chr3,chr1', '--pairs', '1b:1a', '-o', out, '--quiet']);
    assert.equal(packed.status, 0, packed.stderr);
    const fromText = runCli(['haplotype', text, '--contigs', 'chr1,chr3', '--pairs', '1b:1a', '--quiet']);
    const fromPacked = runCli(['haplotype', out, '--quiet']);
    assert.equal(fromPacked.status, 0, fromPacked.stderr);
    assert.equal(fromPacked.stdout, fromText.stdout, 'the stored pairs, the selected contigs');

    const split = join(scratch.dir, 'split.arrow');
    const run = runCli(['pack', fixture('small.tsv'), '--low-memory', '-o', split]);
    assert.equal(run.status, 1);
    assertOneLine(run.stderr);
    assert.match(run.stderr, /small\.tsv:13:1: contig chr1 comes back after other contigs/);
    assert.equal(existsSync(split), false);
  });
});
