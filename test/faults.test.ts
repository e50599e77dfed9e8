// Faults: interrupts (real signals sent to a real child process), a failing worker task, a closed
// output pipe and a full disk. Nothing may hang, and nothing may be left behind.

import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadMatrix } from 'genomatrix';
import { assertOneLine, cliPath, fixture, generate, runCli, scratchDir } from './helpers.js';

/** Starts the CLI; resolves once stderr shows `marker` (a progress line of the phase wanted). */
function startCli(args: string[], marker: RegExp): { child: ChildProcess; seen: Promise<void>; stderr: () => string } {
  const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const seen = new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (data: Buffer) => {
      stderr += data.toString();
      if (marker.test(stderr)) resolve();
    });
    child.on('exit', () => reject(new Error(`exited before ${marker}: ${stderr}`)));
  });
  return { child, seen, stderr: () => stderr };
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
}

describe('faults', () => {
  const scratch = scratchDir();
  const matrix = join(scratch.dir, 'matrix.tsv');
  // Large enough, and run on one thread, that each phase lasts a good fraction of a second after its
  // progress line appears: the signal must land inside the phase, never after the run has ended.
  before(() => generate(matrix, ['--contigs', '3', '--sites', '400000', '--seed', '5']));

  const cases = [
    ['SIGINT', 130, 'while loading', [], /reading .*\d+ sites/],
    ['SIGTERM', 143, 'while loading', [], /reading .*\d+ sites/],
    ['SIGINT', 130, 'while writing the output', [], /haplotype .*\d+\/[\d,]+ sites/],
    ['SIGTERM', 143, 'while streaming (--low-memory)', ['--low-memory'], /streaming .*\d+ sites/],
  ] as const;
  for (const [signal, code, when, extra, marker] of cases) {
    it(`${signal} ${when}: exit ${code}, workers gone, no file left`, { timeout: 30_000 }, async () => {
      const dir = join(scratch.dir, `${signal}-${code}-${extra.length}-${when.length}`);
      mkdirSync(dir);
      const run = startCli(['haplotype', matrix, '--threads', '1', '--progress', '-o', join(dir, 'out.tsv'), ...extra], marker);
      const done = exited(run.child);
      await run.seen;
      const sent = Date.now();
      run.child.kill(signal);
      const { code: status } = await done;
      const elapsed = Date.now() - sent;
      assert.equal(status, code, run.stderr());
      // A fault property, not a speed measurement: the bound is generous for a loaded machine.
      assert.ok(elapsed < 5000, `exited ${elapsed} ms after the signal`);
      assert.deepEqual(readdirSync(dir), [], 'no output and no temporary file');
    });
  }

  it('a task that throws fails the call with its message and tears the other tasks down', { timeout: 30_000 }, async () => {
    const loaded = await loadMatrix(fixture('small.tsv'), { threads: 2 });
    try {
      const task = new URL('./tasks/fail-on-contig.js', import.meta.url);
      await assert.rejects(loaded.mapContigs(task, { contig: 'chr2' }), /boom on chr2/);
      // The never-ending tasks of chr1 and chr3 must be gone: otherwise they hold both workers
      // and this call never completes.
      const after = await loaded.mapContigs<{ contig: string }>(new URL('./tasks/mark-site.js', import.meta.url), { allele: 'A' });
      assert.deepEqual(after.map((result) => result.contig), ['chr1', 'chr2', 'chr3']);
    } finally {
      await loaded.close();
    }
  });

  it('a failing parse chunk cancels the chunks after it', async () => {
    // Many small chunks, the bad one first: how many others finish before its worker reports
    // depends on the scheduling of a shared machine, but once the load has failed no chunk may be
    // parsed any more, and far from all of them may have been.
    const lines = readFileSync(matrix, 'utf8').split('\n').slice(0, 60_000);
    lines[2] = lines[2]?.replace(/\t/, '\tx') ?? ''; // a bad POS on line 3, in the first chunk
    const bad = join(scratch.dir, 'bad-early.tsv');
    writeFileSync(bad, lines.join('\n') + '\n');
    const chunks = Math.ceil(statSync(bad).size / 1024);
    let parsed = 0;
    await assert.rejects(loadMatrix(bad, { threads: 2, chunkBytes: 1024, onProgress: () => parsed++ }), /bad-early.tsv:3:2: POS 'x/);
    const atFailure = parsed;
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(parsed, atFailure, 'no chunk is parsed after the load failed');
    assert.ok(chunks > 4000, `${chunks} chunks`);
    assert.ok(parsed < chunks / 2, `${parsed} of ${chunks} chunks parsed after the first one failed`);
  });

  it('output into a closed pipe ends quietly with exit 0', () => {
    for (const mode of ['', '--low-memory']) {
      const run = spawnSync('bash', ['-c', `"${process.execPath}" "${cliPath}" haplotype "${matrix}" ${mode} | head -n 3; echo "status \${PIPESTATUS[0]}" >&2`], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(run.stdout.split('\n').length, 4, run.stdout);
      assert.equal(run.stderr, 'status 0\n', mode);
    }
  });

  it('a full device on standard output: exit 1, one line', () => {
    const run = spawnSync('bash', ['-c', `"${process.execPath}" "${cliPath}" haplotype "${fixture('small.tsv')}" > /dev/full`], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    assertOneLine(run.stderr);
    assert.match(run.stderr, /cannot write standard output: no space left on device/);
    const direct = runCli(['haplotype', fixture('small.tsv'), '-o', '/dev/full']);
    assert.equal(direct.status, 1);
    assert.match(direct.stderr, /^genomatrix: cannot write \/dev\/full: no space left on device\n$/);
  });

  // A real full file system: a 64 KiB tmpfs (needs root and mount; skipped with the reason otherwise).
  const mountPoint = join(scratch.dir, 'tiny');
  const mounted = ((): string | false => {
    if (process.getuid?.() !== 0) return 'needs root to mount a tmpfs';
    mkdirSync(mountPoint, { recursive: true });
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mountPoint], { encoding: 'utf8' });
    return mount.status === 0 ? false : `mount -t tmpfs failed: ${mount.stderr.trim()}`;
  })();
  after(() => {
    if (mounted === false) spawnSync('umount', [mountPoint]);
    scratch.cleanup();
  });
  it('a full disk while writing: exit 1, one line, no partial file, an existing file untouched', { skip: mounted }, () => {
    const out = join(mountPoint, 'out.tsv');
    writeFileSync(out, 'existing\n');
    for (const mode of [[], ['--low-memory']]) {
      const run = runCli(['haplotype', matrix, '-o', out, ...mode]);
      assert.equal(run.status, 1, run.stderr);
      assertOneLine(run.stderr);
      assert.match(run.stderr, /cannot write .*tiny\/out.tsv: no space left on device$/m);
      assert.deepEqual(readdirSync(mountPoint), ['out.tsv']);
      assert.ok(existsSync(out));
    }
  });
});
