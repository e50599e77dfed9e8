// The progress bar: on stderr only, off when stderr is not a terminal, forced by --progress,
// silenced by --quiet, and drawn on a real pseudo-terminal (util-linux `script`) by default.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliPath, generate, runCli, scratchDir } from './helpers.js';

describe('progress', () => {
  const scratch = scratchDir();
  const matrix = join(scratch.dir, 'matrix.tsv');
  let plain = '';
  before(() => {
    generate(matrix, ['--contigs', '2', '--sites', '150000', '--seed', '9']);
    const run = runCli(['haplotype', matrix]);
    assert.equal(run.status, 0, run.stderr);
    plain = run.stdout;
  });
  after(scratch.cleanup);

  it('is off when stderr is not a terminal: stderr stays empty', () => {
    const run = runCli(['haplotype', matrix, '--threads', '2']);
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, plain);
  });

  for (const mode of [[], ['--low-memory']]) {
    it(`--progress${mode.length ? ' --low-memory' : ''} forces it on stderr, stdout unchanged`, () => {
      const run = runCli(['haplotype', matrix, '--progress', ...mode]);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, plain, 'the table is untouched by the bar');
      const lines = run.stderr.split('\n').filter((line) => line !== '');
      assert.ok(lines.length >= 2, run.stderr);
      const phase = mode.length ? 'streaming' : 'reading';
      const last = lines.filter((line) => line.startsWith(phase)).pop() ?? '';
      const size = (readFileSync(matrix).length / 1e6).toFixed(1);
      assert.match(last, new RegExp(`\\| ${size} MB/${size} MB, 300,000 sites`), last);
      assert.match(last, /\| [\d.]+ [KMGT]?B\/s \| ETA/);
      if (mode.length) assert.match(lines.at(-1) ?? '', /300,000 sites, 2 contigs done/);
      else assert.match(lines.at(-1) ?? '', /^haplotype \|.*\| 100% \| 300,000\/300,000 sites, contigs 2\/2 \| [\d,]+ sites\/s/);
    });
  }

  it('--quiet silences it, even with --progress', () => {
    const run = runCli(['haplotype', matrix, '--progress', '--quiet']);
    assert.equal(run.status, 0);
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, plain);
  });

  const noScript = spawnSync('script', ['--version']).status !== 0 && 'util-linux script is not installed';
  it('is drawn on a terminal by default (a real pseudo-terminal), and the output file is the same', { skip: noScript }, () => {
    const out = join(scratch.dir, 'pty.tsv');
    const run = spawnSync('script', ['-qec', `"${process.execPath}" "${cliPath}" haplotype "${matrix}" -o "${out}"`, '/dev/null'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout);
    assert.match(run.stdout, /\x1b\[1Greading {3}\|/, 'redrawn in place on the terminal');
    assert.match(run.stdout, /haplotype \|.*\| 100% \| 300,000\/300,000 sites, contigs 2\/2/);
    assert.equal(readFileSync(out, 'utf8'), plain);
  });
});
