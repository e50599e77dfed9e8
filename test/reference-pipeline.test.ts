// genomatrix against the reference pipeline (pandas + multiprocessing, scripts/reference_haplotype.py)
// on seeded generated matrices: the outputs must be identical, line for line.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { haplotype, loadMatrix } from 'genomatrix';
import { generate, root, runCli, scratchDir } from './helpers.js';

const python = '/usr/bin/python3';
const hasPandas = spawnSync(python, ['-c', 'import pandas'], { encoding: 'utf8' }).status === 0;
// CI installs python3-pandas (.ci/run): there the comparison must run, never be skipped.
const skip = !hasPandas && !process.env.CI ? 'pandas is not installed (apt-get install python3-pandas)' : false;

function reference(matrix: string, out: string, extra: string[] = []): string {
  const run = spawnSync(python, [join(root, 'scripts', 'reference_haplotype.py'), matrix, out, '--processes', '2', ...extra], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return readFileSync(out, 'utf8');
}

describe('against the reference pipeline', { skip }, () => {
  const scratch = scratchDir();
  after(scratch.cleanup);

  const cases: [string, string[]][] = [
    ['plain, split contigs', ['--contigs', '3', '--sites', '4000', '--haplotypes', '9', '--seed', '7', '--split-contigs']],
    ['gzip, even haplotypes', ['--contigs', '2', '--sites', '5000', '--haplotypes', '12', '--seed', '11', '--gzip', '--missing-rate', '0.2', '--deletion-rate', '0.1']],
    // 70 columns: each task's column references travel as one array of numbers (worker/task-group.ts).
    ['wide, 70 haplotypes', ['--contigs', '2', '--sites', '800', '--haplotypes', '70', '--seed', '13', '--missing-rate', '0.1', '--deletion-rate', '0.05']],
  ];
  for (const [name, args] of cases) {
    it(`gives the same table: ${name}`, () => {
      const matrix = join(scratch.dir, `${name.replace(/\W+/g, '-')}.tsv`);
      generate(matrix, args);
      const expected = reference(matrix, `${matrix}.ref`);
      const run = runCli(['haplotype', matrix, '--threads', '2']);
      assert.equal(run.status, 0, run.stderr);
      assert.ok(expected.split('\n').length > 100, 'the case keeps sites');
      assert.equal(run.stdout, expected);
    });
  }

  it('a wide matrix in ranges that each go alone to a worker gives the same table', async () => {
    const matrix = join(scratch.dir, 'wide-ranges.tsv');
    generate(matrix, ['--contigs', '2', '--sites', '800', '--haplotypes', '70', '--seed', '17', '--deletion-rate', '0.05']);
    const expected = reference(matrix, `${matrix}.ref`);
    const loaded = await loadMatrix(matrix, { threads: 2 });
    try {
      const out = join(scratch.dir, 'wide-ranges.out.tsv');
      await haplotype(loaded, { output: out, chunkRows: 128 });
      assert.equal(readFileSync(out, 'utf8'), expected);
    } finally {
      await loaded.close();
    }
  });

  it('parses identically whatever the chunking (lines across chunk boundaries)', async () => {
    const plain = join(scratch.dir, 'chunks.tsv');
    const gzip = join(scratch.dir, 'chunks.tsv.gz');
    const args = ['--contigs', '4', '--sites', '3000', '--haplotypes', '7', '--seed', '3', '--split-contigs'];
    generate(plain, args);
    generate(gzip, [...args, '--gzip']);
    const expected = reference(plain, `${plain}.ref`);
    for (const [matrix, chunkBytes] of [[plain, 1024], [plain, 4099], [plain, 65536], [gzip, 1024], [gzip, 5000]] as const) {
      const loaded = await loadMatrix(matrix, { threads: 2, chunkBytes });
      try {
        const out = join(scratch.dir, `chunks-${chunkBytes}.tsv`);
        await haplotype(loaded, { output: out, chunkRows: 777 });
        assert.equal(readFileSync(out, 'utf8'), expected, `${matrix} in chunks of ${chunkBytes} bytes`);
      } finally {
        await loaded.close();
      }
    }
  });
});
