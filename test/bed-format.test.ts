// `genomatrix bed`, the output format made of one module, kernel and description (src/formats): one
// BED line (contig, POS-1, POS) per site with an alt allele, worked out by hand below; the same
// bytes in memory, streamed and through the command line with a region. docs/architecture.md shows
// the module whole as the way to add a format, so it is checked against the file.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
