// The haplotype table of the stored fixtures, against expected outputs worked out by hand
// (test/fixtures/README.md), through the built CLI and through the library.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { haplotype, loadMatrix } from 'genomatrix';
import { fixture, runCli, scratchDir } from './helpers.js';
import { convert } from './in-process.js';

const expected = readFileSync(fixture('small.expected.tsv'), 'utf8');
const expectedPairs = readFileSync(fixture('small.pairs-10a-10b.expected.tsv'), 'utf8');
const expectedPhaseExtender = readFileSync(fixture('small.phase-extender.expected.tsv'), 'utf8');

describe('genomatrix haplotype (CLI)', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);

  it('converts small.tsv to the expected table on stdout', () => {
    const run = runCli(['haplotype', fixture('small.tsv')]);
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    assert.equal(run.stdout, expected);
  });

  // The other input forms through the library in process (the CLI reads gzip in -o FILE below).
  for (const name of ['small.crlf.tsv', 'small.tsv.gz']) {
    it(`converts ${name} to the expected table`, async () => {
      assert.equal(await convert('haplotype', fixture(name)), expected);
    });
  }

  it('takes the column names from --header for a matrix without a header line', () => {
    const run = runCli(['haplotype', fixture('small.noheader.tsv'), '--header', fixture('small.header.tsv')]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, expected);
  });

  it('uses explicit --pairs, members ordered by name', () => {
    const run = runCli(['haplotype', fixture('small.tsv'), '--pairs', '10b:10a']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, expectedPairs);
  });

  it('gives the same table with 1 and 3 threads', async () => {
    const run = runCli(['haplotype', fixture('small.tsv'), '--threads', '3']);
    assert.equal(run.stdout, expected, '--threads 3');
    assert.equal(await convert('haplotype', fixture('small.tsv'), { threads: 1 }), expected, 'threads 1');
  });

  it('--format phase-extender writes the hand-checked file phase-extender reads; the default stays the seed table', () => {
    for (const name of ['small.tsv', 'small.tsv.gz']) {
      const run = runCli(['haplotype', fixture(name), '--format', 'phase-extender']);
      assert.equal(run.stderr, '');
      assert.equal(run.status, 0);
      assert.equal(run.stdout, expectedPhaseExtender);
    }
    assert.equal(runCli(['haplotype', fixture('small.tsv'), '--format', 'table']).stdout, expected);
    const pairs = runCli(['haplotype', fixture('small.tsv'), '--format', 'phase-extender', '--pairs', '10b:10a']);
    assert.equal(pairs.stdout.split('\n')[0], 'CHROM\tPOS\tREF\tall-alleles\t10a10b:PI\t10a10b:PG_al');
    assert.equal(pairs.stdout.split('\n').length, expectedPhaseExtender.split('\n').length, 'the same sites');
  });

  it('--format phase-extender gives the same file with 1 and 3 threads and 1 row per task', async () => {
    for (const threads of ['1', '3']) {
      assert.equal(runCli(['haplotype', fixture('small.tsv'), '--format', 'phase-extender', '--threads', threads]).stdout, expectedPhaseExtender);
    }
    const own = scratchDir();
    const matrix = await loadMatrix(fixture('small.tsv'), { threads: 2 });
    try {
      const out = join(own.dir, 'phase-extender.tsv');
      await haplotype(matrix, { output: out, format: 'phase-extender', chunkRows: 1 });
      assert.equal(readFileSync(out, 'utf8'), expectedPhaseExtender);
    } finally {
      await matrix.close();
      own.cleanup();
    }
  });

  it('writes -o FILE through a temporary name, leaving only the final file', () => {
    const out = join(scratch.dir, 'out.tsv');
    const run = runCli(['haplotype', fixture('small.tsv.gz'), '-o', out]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(readFileSync(out, 'utf8'), expected);
    assert.deepEqual(readdirSync(scratch.dir), ['out.tsv']);
  });
});

describe('haplotype() (library)', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);

  it('writes the expected table and reports what it wrote', async () => {
    const matrix = await loadMatrix(fixture('small.tsv'), { threads: 2 });
    try {
      const out = join(scratch.dir, 'lib.tsv');
      const summary = await haplotype(matrix, { output: out });
      assert.equal(readFileSync(out, 'utf8'), expected);
      assert.equal(summary.sites, 18);
      assert.equal(summary.lines, expected.split('\n').length - 2);
      assert.deepEqual(
        summary.pairs.map((pair) => pair.name),
        ['10a10b', '3a3b', '8a8b'],
      );
    } finally {
      await matrix.close();
    }
  });

  it('groups a contig split into two runs, contigs in order of first appearance', async () => {
    const matrix = await loadMatrix(fixture('small.tsv'));
    try {
      assert.deepEqual(
        matrix.contigs.map((c) => [c.name, c.sites]),
        [['chr1', 11], ['chr2', 5], ['chr3', 2]],
      );
      assert.deepEqual(Array.from(matrix.contigViews('chr1').pos), [100, 101, 103, 104, 107, 108, 200, 201, 205, 206, 210]);
    } finally {
      await matrix.close();
    }
  });
});
