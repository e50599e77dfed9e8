// The benchmark harness checks itself here on small inputs: the baselines it compares genomatrix
// with must write the same table, the output comparison must catch a difference, and the memory
// sampler must see a process. No timing is asserted.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { approaches } from '../bench/harness/approaches.js';
import { Agreement, compareOutputs } from '../bench/harness/compare-outputs.js';
import { measureCommand } from '../bench/harness/measure-command.js';
import { fixture, generate, root, runCli, scratchDir } from './helpers.js';

describe('benchmark harness', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);
  const matrix = join(scratch.dir, 'matrix.tsv');
  generate(matrix, ['--contigs', '3', '--sites', '700', '--haplotypes', '9', '--seed', '5', '--split-contigs']);
  const byName = new Map(approaches(root).map((approach) => [approach.name, approach]));

  it('the naive Node baseline writes the same table as genomatrix (stored fixture and generated split contigs)', async () => {
    const naive = byName.get('naive-node');
    assert.ok(naive);
    for (const input of [fixture('small.tsv'), matrix]) {
      const expected = runCli(['haplotype', input]);
      assert.equal(expected.status, 0, expected.stderr);
      const out = join(scratch.dir, 'naive.tsv');
      const [command, args] = naive.command(input, 2);
      const run = await measureCommand(command, args, { stdoutFile: out });
      assert.equal(run.exitCode, 0, run.stderrTail);
      assert.equal(readFileSync(out, 'utf8'), expected.stdout);
    }
  });

  it('the C baseline writes the stored fixture\'s expected table, and the same bytes as genomatrix on generated split contigs', async (t) => {
    const c = byName.get('c');
    assert.ok(c);
    const missing = c.unavailable();
    if (missing) return t.skip(missing);
    const cases: [string, string][] = [
      [fixture('small.tsv'), readFileSync(fixture('small.expected.tsv'), 'utf8')],
      [fixture('small.crlf.tsv'), readFileSync(fixture('small.expected.tsv'), 'utf8')],
      [matrix, runCli(['haplotype', matrix]).stdout],
    ];
    for (const [input, expected] of cases) {
      const out = join(scratch.dir, 'c.tsv');
      const [command, args] = c.command(input, 2);
      const run = await measureCommand(command, args, { stdoutFile: out });
      assert.equal(run.exitCode, 0, run.stderrTail);
      assert.equal(readFileSync(out, 'utf8'), expected, input);
    }
  });

  it("the generator's --name-digits: every contig name as long, the rows otherwise the same bytes", () => {
    const padded = join(scratch.dir, 'padded.tsv');
    generate(padded, ['--contigs', '3', '--sites', '700', '--haplotypes', '9', '--seed', '5', '--split-contigs', '--name-digits', '4']);
    const plain = readFileSync(matrix, 'utf8').split('\n');
    const lines = readFileSync(padded, 'utf8').split('\n');
    assert.equal(lines.length, plain.length);
    assert.deepEqual(new Set(lines.slice(1, -1).map((line) => line.slice(0, line.indexOf('\t')))), new Set(['chr0001', 'chr0002', 'chr0003']));
    assert.deepEqual(
      lines.map((line) => line.replace(/^chr0*/, 'chr')),
      plain,
    );
  });

  it('sums the PSS of a process tree: a forked child is counted', async () => {
    const out = join(scratch.dir, 'pss.txt');
    const script = "const { spawn } = require('node:child_process'); const a = Buffer.alloc(48 << 20, 1); const c = spawn(process.execPath, ['-e', 'const b = Buffer.alloc(48 << 20, 2); setTimeout(() => {}, 600)'], { stdio: 'inherit' }); c.on('exit', () => console.log(a[3]));";
    const run = await measureCommand(process.execPath, ['-e', script], { stdoutFile: out, pss: true, pssIntervalMs: 50 });
    assert.equal(run.exitCode, 0, run.stderrTail);
    assert.ok((run.peakPssBytes ?? 0) > 96 << 20, `peak PSS ${run.peakPssBytes} bytes for two processes holding 48 MiB each`);
  });

  it('the DuckDB baseline writes the same table as genomatrix, when DuckDB is installed', async (t) => {
    const duckdb = byName.get('duckdb');
    assert.ok(duckdb);
    const missing = duckdb.unavailable();
    if (missing) return t.skip(missing);
    const input = join(scratch.dir, 'contiguous.tsv');
    generate(input, ['--contigs', '2', '--sites', '500', '--haplotypes', '7', '--seed', '9']);
    const out = join(scratch.dir, 'duckdb.tsv');
    const [command, args] = duckdb.command(input, 1);
    const run = await measureCommand(command, args, { stdoutFile: out });
    assert.equal(run.exitCode, 0, run.stderrTail);
    assert.equal(readFileSync(out, 'utf8'), runCli(['haplotype', input]).stdout);
  });

  it('compares outputs: identical, same up to alt order, and a mismatch with its line', async () => {
    const header = 'contig\tpos\tref\talt\n';
    const write = scratch.file;
    const a = write('a.tsv', `${header}chr1\t7\tA\tG,-\tchr1\tA|G\nchr1\t8\tC\tT\tchr1\tC|T\n`);
    const b = write('b.tsv', `${header}chr1\t7\tA\t-,G\tchr1\tA|G\nchr1\t8\tC\tT\tchr1\tC|T\n`);
    const c = write('c.tsv', `${header}chr1\t7\tA\tG,-\tchr1\tA|G\nchr1\t8\tC\tT\tchr1\tT|C\n`);
    const d = write('d.tsv', `${header}chr1\t7\tA\tG,-\tchr1\tA|G\n`);
    assert.deepEqual(await compareOutputs(a, a), { agreement: Agreement.identical, lines: 2 });
    assert.deepEqual(await compareOutputs(a, b), { agreement: Agreement.sameUpToAltOrder, lines: 2 });
    const mismatch = await compareOutputs(a, c);
    assert.equal(mismatch.agreement, Agreement.mismatch);
    assert.equal(mismatch.firstDifference?.line, 3);
    const short = await compareOutputs(a, d);
    assert.equal(short.agreement, Agreement.mismatch);
    assert.equal(short.firstDifference?.actual, '(end of file)');
  });

  it('samples the memory of the measured process and reports a failing command', async () => {
    const out = join(scratch.dir, 'sampled.txt');
    const run = await measureCommand(process.execPath, ['-e', 'const a = Buffer.alloc(64 << 20, 1); setTimeout(() => console.log(a[7]), 200)'], { stdoutFile: out });
    assert.equal(run.exitCode, 0);
    assert.equal(readFileSync(out, 'utf8'), '1\n');
    assert.ok(run.samples > 1);
    assert.ok(run.peakRssBytes > 64 << 20, `peak ${run.peakRssBytes} bytes for a process holding 64 MiB`);
    const failed = await measureCommand(process.execPath, ['-e', 'console.error("broken"); process.exit(3)'], { stdoutFile: out });
    assert.equal(failed.exitCode, 3);
    assert.match(failed.stderrTail, /broken/);
  });
});
