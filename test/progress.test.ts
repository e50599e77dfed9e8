// Progress: on stderr only, off when stderr is not a terminal, forced by --progress (plain lines
// into a file or pipe), for the load and for every conversion, silenced by --quiet, and on a real pseudo-terminal (util-linux `script`,
// sized with stty) a bar redrawn in place that fits the terminal's width.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ConvertProgress } from '../src/cli/open-input.js';
import { fitProgressLine, plainProgressLine, type ProgressState } from '../src/cli/progress-line.js';
import { formats, loadMatrix, pack, stats, vcf, writeFormat, type ConversionProgress } from '../src/index.js';
import { cliPath, generate, runCli, scratchDir } from './helpers.js';

const BLOCKS = /[\u2580-\u259f]/; // the bar's block and shade characters

describe('progress line layout', () => {
  const state = (speed: string, eta: number | undefined): ProgressState => ({
    phase: 'haplotype',
    value: 150_000,
    total: 300_000,
    detail: ['150,000/300,000 sites, contigs 1/2', '150k/300k sites, 1/2 contigs', '150k/300k sites'],
    speed,
    eta,
  });
  const bar = (size: number, fraction: number): string => '#'.repeat(Math.round(size * fraction)).padEnd(size, '.');

  it('never takes the last column, at any width', () => {
    for (let width = 10; width <= 200; width++) {
      const { line } = fitProgressLine(state('312k sites/s', 75), width, bar);
      assert.ok(line.length <= width - 1, `${width}: ${line}`);
    }
  });

  it('gives way bar first, then the detail\'s length: the rate and ETA stay from 60 columns on', () => {
    // 130 columns: the 78 characters of text, the bar's 3 and 4 spare leave more than the 40 cells.
    const wide = fitProgressLine(state('312k sites/s', 75), 130, bar).line;
    assert.equal(wide, `haplotype |${'#'.repeat(20)}${'.'.repeat(20)}|  50% | 150,000/300,000 sites, contigs 1/2 | 312k sites/s | ETA 1m15s`);
    // 120: 119 - 78 - 3 - 4 = 34 cells.
    assert.equal(fitProgressLine(state('312k sites/s', 75), 120, bar).line, `haplotype |${'#'.repeat(17)}${'.'.repeat(17)}|  50% | 150,000/300,000 sites, contigs 1/2 | 312k sites/s | ETA 1m15s`);
    // 80: the short detail of 28 leaves 79 - 72 - 7 = 0 cells, the shortest (15) 13.
    const at80 = fitProgressLine(state('312k sites/s', 75), 80, bar).line;
    assert.equal(at80, 'haplotype |#######......|  50% | 150k/300k sites | 312k sites/s | ETA 1m15s');
    for (let width = 60; width <= 200; width++) {
      const { line } = fitProgressLine(state('312k sites/s', 75), width, bar);
      assert.match(line, /\| 312k sites\/s \| ETA 1m15s$/, `${width}: ${line}`);
    }
    assert.equal(fitProgressLine(state('312k sites/s', 75), 40, bar).line, 'haplotype  50% | 150k/300k sites');
  });

  it('does not grow back within a phase: the previous fit bounds the next', () => {
    const first = fitProgressLine(state('9 sites/s', 3), 90, bar);
    const second = fitProgressLine(state('1.25M sites/s', 3), 90, bar, first.fit);
    const third = fitProgressLine(state('9 sites/s', 3), 90, bar, second.fit);
    assert.ok(second.fit.bar <= first.fit.bar && third.fit.bar <= second.fit.bar, JSON.stringify([first.fit, second.fit, third.fit]));
    assert.equal(third.line.length, second.line.length - 4, 'only the rate is narrower');
  });

  it('without a bar for files and pipes, ETA unknown at first', () => {
    assert.equal(plainProgressLine(state('', undefined)), 'haplotype  50% | 150,000/300,000 sites, contigs 1/2 | ETA --');
    assert.equal(plainProgressLine({ ...state('1.2 MB/s', 4000), value: 300_000 }), 'haplotype 100% | 150,000/300,000 sites, contigs 1/2 | 1.2 MB/s | ETA 1h06m');
  });
});

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
    it(`--progress${mode.length ? ' --low-memory' : ''} into a pipe: plain lines, each new, stdout unchanged`, () => {
      const run = runCli(['haplotype', matrix, '--progress', ...mode]);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, plain, 'the table is untouched by the progress lines');
      assert.doesNotMatch(run.stderr, BLOCKS, 'no bar');
      assert.doesNotMatch(run.stderr, /[\r\x1b]/, 'no carriage return or escape sequence');
      const lines = run.stderr.split('\n');
      assert.equal(lines.pop(), '', 'whole lines');
      assert.equal(new Set(lines).size, lines.length, `no line twice:\n${run.stderr}`);
      const phase = mode.length ? 'streaming' : 'reading  ';
      const reading = lines.filter((line) => line.startsWith(phase));
      // One line per tenth of the input at most (plus, streaming, one per contig done).
      assert.ok(reading.length >= 2 && reading.length <= 11 + (mode.length ? 2 : 0), run.stderr);
      const size = (readFileSync(matrix).length / 1e6).toFixed(1);
      const last = reading.at(-1) ?? '';
      assert.ok(last.startsWith(`${phase} 100% | ${size} MB/${size} MB, 300,000 sites`), last);
      assert.match(last, /\| [\d.]+ [KMGT]?B\/s \| ETA 0s$/);
      if (mode.length) assert.match(last, /300,000 sites, 2 contigs done \|/);
      else {
        const converting = lines.filter((line) => line.startsWith('haplotype'));
        assert.ok(converting.length >= 2 && converting.length <= 11, run.stderr);
        assert.match(converting.at(-1) ?? '', /^haplotype 100% \| 300,000\/300,000 sites, contigs 2\/2 \| [\d.]+[kM]? sites\/s \| ETA 0s$/);
        assert.equal(lines.length, reading.length + converting.length, run.stderr);
      }
    });
  }

  it('every conversion in memory reports its progress: vcf, stats, pack and bed, through the library and on the bar', async () => {
    const loaded = await loadMatrix(matrix, { threads: 2 });
    const whole = { sites: 300_000, totalSites: 300_000, contigs: 2, totalContigs: 2 };
    try {
      const runs: [string, (onProgress: ConvertProgress) => Promise<unknown>][] = [
        ['vcf', (onProgress) => vcf(loaded, { output: join(scratch.dir, 'p.vcf'), onProgress })],
        ['stats', (onProgress) => stats(loaded, { onProgress })],
        ['pack', (onProgress) => pack(loaded, { output: join(scratch.dir, 'p.arrow'), onProgress })],
        ['bed', (onProgress) => writeFormat(formats.bed, loaded, { output: join(scratch.dir, 'p.bed'), onProgress })],
      ];
      for (const [name, run] of runs) {
        const seen: number[] = [];
        let last: ConversionProgress | undefined;
        await run((done, total, progress) => {
          assert.equal(total, 300_000);
          seen.push(done);
          last = { ...progress };
        });
        assert.ok(seen.length >= 2 && seen.every((done, i) => i === 0 || done > (seen[i - 1] as number)), `${name}: rising reports ${seen.join(' ')}`);
        assert.deepEqual(last, whole, name);
      }
    } finally {
      await loaded.close();
    }
    const run = runCli(['vcf', matrix, '--progress', '-o', join(scratch.dir, 'bar.vcf')]);
    assert.equal(run.status, 0, run.stderr);
    const converting = run.stderr.split('\n').filter((line) => line.startsWith('vcf '));
    assert.ok(converting.length >= 2, run.stderr);
    assert.match(converting.at(-1) ?? '', /^vcf       100% \| 300,000\/300,000 sites, contigs 2\/2 \|/);
  });

  it('--quiet silences it, even with --progress', () => {
    const run = runCli(['haplotype', matrix, '--progress', '--quiet']);
    assert.equal(run.status, 0);
    assert.equal(run.stderr, '');
    assert.equal(run.stdout, plain);
  });

  /** Runs the CLI on a pseudo-terminal `columns` wide; returns each redraw of the bar as the terminal shows it. */
  function onTerminal(columns: number, out: string): string[] {
    const command = `stty cols ${columns} rows 24; "${process.execPath}" "${cliPath}" haplotype "${matrix}" -o "${out}"`;
    const run = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout);
    assert.match(run.stdout, /\x1b\[1Greading {3}\|/, 'redrawn in place on the terminal');
    assert.equal(readFileSync(out, 'utf8'), plain);
    return run.stdout
      .split('\x1b[1G')
      .slice(1)
      .map((text) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]|[\r\n]/g, ''));
  }

  const noScript = spawnSync('script', ['--version']).status !== 0 && 'util-linux script is not installed';
  it('is drawn on an 80-column terminal by default, within its width, with rate and ETA', { skip: noScript }, () => {
    const frames = onTerminal(80, join(scratch.dir, 'pty80.tsv'));
    for (const frame of frames) assert.ok([...frame].length <= 79, `fits 80 columns: ${frame}`);
    const last = frames.at(-1) ?? '';
    assert.match(last, /^haplotype \|█+\| 100% \| 300k\/300k sites(, 2\/2 contigs)? \| [\d.]+[kM]? sites\/s \| ETA 0s$/, last);
  });

  it('a wide terminal gets the 40-cell bar and the whole detail', { skip: noScript }, () => {
    const last = onTerminal(160, join(scratch.dir, 'pty160.tsv')).at(-1) ?? '';
    assert.match(last, /^haplotype \|█{40}\| 100% \| 300,000\/300,000 sites, contigs 2\/2 \| [\d.]+[kM]? sites\/s \| ETA 0s$/, last);
  });
});
