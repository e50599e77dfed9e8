// `genomatrix bed`, the output format made of one module, kernel and description (src/formats): one
// BED line (contig, POS-1, POS) per site with an alt allele, worked out by hand below; the same
// bytes in memory, streamed and through the command line with a region. docs/architecture.md shows
// the module whole as the way to add a format, so it is checked against the file.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { formats, loadMatrix, writeFormat } from 'genomatrix';
import { root, runCli, scratchDir } from './helpers.js';

const MATRIX = [
  'CHROM\tPOS\tREF\ta\tb\tc',
  'c1\t10\tA\tA\tA\tA', // every cell the REF: not variable
  'c1\t11\tC\tC\tT\tC', // T: variable
  'c1\t12\tG\tN\tN\tG', // N is missing, not an alt: not variable
  'c1\t13\tT\t-\tT\tT', // a deletion is an alt: variable
  'c2\t5\tA\tG\tG\tG', // G: variable
  'c2\t7\tN\tN\tN\tN', // all missing: not variable
  '',
].join('\n');
const EXPECTED = 'c1\t10\t11\nc1\t12\t13\nc2\t4\t5\n';

describe('genomatrix bed', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);
  const path = join(scratch.dir, 'm.tsv');
  writeFileSync(path, MATRIX);

  it('in memory and streamed: one line per variable site', async () => {
    const matrix = await loadMatrix(path, { threads: 2 });
    try {
      assert.equal(await writeFormat(formats.bed, matrix, { output: join(scratch.dir, 'memory.bed') }), 3);
    } finally {
      await matrix.close();
    }
    assert.equal(readFileSync(join(scratch.dir, 'memory.bed'), 'utf8'), EXPECTED);
    assert.equal(await writeFormat(formats.bed, path, { output: join(scratch.dir, 'streamed.bed'), threads: 2 }), 3);
    assert.equal(readFileSync(join(scratch.dir, 'streamed.bed'), 'utf8'), EXPECTED);
  });

  it('a range whose bytes outgrow the output slot it was lent', async () => {
    // Every site variable, so the BED lines are every POS: 70,000 rows of c1 make a first range of
    // 65,536 lines (about 1 MB), more than the first slot holds, handed back in a buffer of its
    // own; the rest of c1 and c2 come after, in the slots made larger. BGZF blocks fit the slot.
    const rows = (contig: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${contig}\t${i + 1}\tA\tC\tA\tA`);
    const large = scratch.file('large.tsv', ['CHROM\tPOS\tREF\ta\tb\tc', ...rows('c1', 70_000), ...rows('c2', 3), ''].join('\n'));
    const lines = (contig: string, count: number): string => Array.from({ length: count }, (_, i) => `${contig}\t${i}\t${i + 1}\n`).join('');
    const expected = lines('c1', 70_000) + lines('c2', 3);
    assert.equal(await writeFormat(formats.bed, large, { output: join(scratch.dir, 'large.bed'), threads: 2 }), 70_003);
    assert.equal(readFileSync(join(scratch.dir, 'large.bed'), 'utf8'), expected);
    const matrix = await loadMatrix(large, { threads: 2 });
    try {
      await writeFormat(formats.bed, matrix, { output: join(scratch.dir, 'large.bed.gz') });
    } finally {
      await matrix.close();
    }
    assert.equal(gunzipSync(readFileSync(join(scratch.dir, 'large.bed.gz'))).toString('utf8'), expected);
  });

  it('the command, with a region', () => {
    const run = runCli(['bed', path, '-r', 'c1:12-20', '-q']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, 'c1\t12\t13\n');
  });

  it('docs/architecture.md shows the format\'s module as it is', () => {
    const source = readFileSync(join(root, 'src', 'formats', 'bed.ts'), 'utf8');
    const code = source.slice(source.indexOf('import '));
    const page = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
    const shown = /\*\*1\. The format's module\*\*, `src\/formats\/bed\.ts`:\n\n```ts\n([^]*?)```/.exec(page)?.[1];
    assert.equal(shown, code);
  });
});
