// A conversion's worker threads start before the command line loads (cli/main.ts): which runs
// start them, with how many threads, and the first pool of that size running on them.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import type { Tinypool } from 'tinypool';
import { earlyThreadCount } from '../src/cli/early-threads.js';
import { startEarlyThreads, takeEarlyThreads } from '../src/dispatch/pool-threads.js';
import { WorkerPool } from '../src/dispatch/worker-pool.js';
import { cliPath, fixture } from './helpers.js';

const EARLY = Symbol.for('genomatrix.earlyThreads');

/** The threads started early and not yet taken, if any. */
function waiting(): Tinypool | undefined {
  return (globalThis as { [EARLY]?: { pool: Tinypool } })[EARLY]?.pool;
}

describe('threads started before the command line loads', () => {
  it('reads the thread count of a conversion as the command line gives it', () => {
    assert.equal(earlyThreadCount(['haplotype', 'm.tsv'], 6), 6, 'the usable cores by default');
    assert.equal(earlyThreadCount(['vcf', 'm.tsv', '-t', '3'], 6), 3);
    assert.equal(earlyThreadCount(['stats', 'm.tsv', '-t3'], 6), 3);
    assert.equal(earlyThreadCount(['pack', '--threads', '1', 'm.tsv'], 6), 1);
    assert.equal(earlyThreadCount(['haplotype', 'm.tsv', '--threads=12', '-o', 'x.tsv'], 6), 12);
    assert.equal(earlyThreadCount(['haplotype', 'm.tsv', '-t', '2', '-t', '4'], 6), 4, 'the last one, as yargs takes it');
  });

  it('starts nothing for other commands, help, or a thread count yargs will refuse', () => {
    for (const args of [[], ['info', 'm.arrow'], ['merge-stats', 'a', 'b'], ['--version'], ['haplotype', '--help'], ['vcf', 'm.tsv', '-h'], ['haplotype', 'm.tsv', '-t'], ['haplotype', 'm.tsv', '-t', 'two'], ['haplotype', 'm.tsv', '--threads=0'], ['haplotype', 'm.tsv', '-t', '2000'], ['haplotype', 'm.tsv', '-t', '1.5']]) {
      assert.equal(earlyThreadCount(args, 2), undefined, args.join(' '));
    }
  });

  it('hands the started threads to the first pool of that size, once', async () => {
    startEarlyThreads(2);
    const early = waiting();
    assert.ok(early, 'threads started');
    assert.equal(early.threads.length, 2, 'both threads started at once');
    const pool = new WorkerPool(2);
    try {
      const result = await pool.run({ kind: 'bgzf', bytes: new TextEncoder().encode('chr1\t1\tA\n') });
      assert.ok(result.bytes.length > 0);
      assert.equal(early.completed, 1, 'the task ran on the threads started early');
      assert.equal(waiting(), undefined, 'taken');
    } finally {
      await pool.destroy();
    }
  });

  it('stops threads started for another count, and a pool of the count asked for starts its own', async () => {
    startEarlyThreads(3);
    const early = waiting();
    assert.ok(early);
    assert.equal(takeEarlyThreads(2), undefined);
    assert.equal(waiting(), undefined);
    // Stopping: tinypool empties its thread list as it destroys them.
    for (let i = 0; i < 100 && early.threads.length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(early.threads.length, 0, 'stopped');
  });

  it('runs a conversion, and exits after help, whatever the command line starts early', () => {
    const converted = spawnSync(process.execPath, [cliPath, 'haplotype', fixture('small.tsv'), '-t', '1'], { encoding: 'utf8' });
    assert.equal(converted.status, 0, converted.stderr);
    assert.match(converted.stdout, /^contig\tpos\tref\talt\t10a10b_PI/);
    const help = spawnSync(process.execPath, [cliPath, 'haplotype', '--help'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(help.status, 0, help.stderr);
    const refused = spawnSync(process.execPath, [cliPath, 'haplotype', fixture('small.tsv'), '-t', 'two'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(refused.status, 2, refused.stderr);
    assert.match(refused.stderr, /--threads must be a whole number from 1 to 1024, got 'two'/);
  });
});
