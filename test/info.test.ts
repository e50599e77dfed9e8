// `genomatrix info` explains a matrix, text or packed: samples, pairs, contigs with site counts,
// bytes per column, the allele dictionary. Expected values are those of test/fixtures/small.tsv.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { MatrixDescription } from 'genomatrix';
import { fixture, root, runCli, scratchDir } from './helpers.js';

const golden = join(root, 'native-layout', 'small.arrow');

function info(...args: string[]): string {
  const run = runCli(['info', ...args]);
  assert.equal(run.stderr, '');
  assert.equal(run.status, 0);
  return run.stdout;
}

describe('genomatrix info', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);

  it('describes the packed file: origin, samples, pairs, alleles, contigs, bytes per column', () => {
    const lines = info(golden).split('\n');
    assert.match(lines[0] ?? '', /^matrix +.*small\.arrow \(packed \.arrow of small\.tsv \(487 bytes\)\)$/);
    assert.equal(lines[1], 'samples   7: 3b 3a 10a 10b 8a 8b out');
    assert.equal(lines[2], 'pairs     3 (automatic): 10a10b=10a+10b 3a3b=3a+3b 8a8b=8a+8b');
    assert.equal(lines[3], 'alleles   10, by code: 0=A 1=C 2=G 3=T 4=N 5=- 6=* 7=AT 8=R 9=TA');
    assert.equal(lines[4], 'contigs   3, 18 sites');
    assert.deepEqual(lines.slice(5, 8).map((line) => line.trim().split(/ +/)), [['chr1', '11', 'sites'], ['chr2', '5', 'sites'], ['chr3', '2', 'sites']]);
    assert.equal(lines[8], 'columns   bytes in memory');
    assert.deepEqual(lines.slice(9, 19).map((line) => line.trim().split(/ +/)), [
      ['POS', 'int32', '72'],
      ['REF', 'uint8', '18'],
      ...['3b', '3a', '10a', '10b', '8a', '8b', 'out'].map((name) => [name, 'uint8', '18']),
      ['total', '216'],
    ]);
    assert.match(lines[19] ?? '', /^shared +1 SharedArrayBuffer, [\d,]+ bytes/);
  });

  it('gives the same description for the text and the packed file, but for where it came from', () => {
    const fromText = JSON.parse(info(fixture('small.tsv'), '--json')) as MatrixDescription;
    const fromArrow = JSON.parse(info(golden, '--json')) as MatrixDescription;
    assert.deepEqual(fromText.origin, { format: 'text', sourceName: 'small.tsv', sourceSize: 487 });
    assert.deepEqual(fromArrow.origin, { format: 'arrow', sourceName: 'small.tsv', sourceSize: 487 });
    assert.equal(fromText.sharedBuffers.count, 2, 'a text load: POS, and the one-byte columns side by side');
    for (const key of ['samples', 'pairs', 'pairsFrom', 'contigs', 'sites', 'alleles', 'columns'] as const) {
      assert.deepEqual(fromArrow[key], fromText[key], key);
    }
  });

  it('shows the pairs stored by pack --pairs', () => {
    const out = join(scratch.dir, 'paired.arrow');
    assert.equal(runCli(['pack', fixture('small.tsv'), '-o', out, '--pairs', '8b:8a']).status, 0);
    assert.match(info(out), /\npairs     1 \(stored\): 8a8b=8a\+8b\n/);
  });
});
