// Custom per-contig tasks through the public entry: results in genome order, per contig or per
// chunk, written into a result SharedArrayBuffer, read as Arrow vectors in the worker; a task's
// exception and an abort, after which the matrix still works.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadMatrix, UsageError, type Matrix } from 'genomatrix';
import { fixture } from './helpers.js';
import { readMatrixText, tableRows } from './matrix-text.js';

const source = readMatrixText(fixture('small.tsv'));
const rows = tableRows(source);
const task = (name: string) => new URL(`./tasks/${name}.js`, import.meta.url);

/** Independent count per site: haplotype cells that are called (not N, not -) and differ from REF. */
const derivedCounts = rows.map((site) => site.cells.filter((cell) => cell !== 'N' && cell !== '-' && cell !== site.ref).length);

type SiteSums = typeof import('./tasks/site-sums.js').default;

function siteSumsArgs() {
  return { out: new SharedArrayBuffer(4 * rows.length), running: new SharedArrayBuffer(8) };
}

describe('Matrix.mapContigs', () => {
  let matrix: Matrix;
  before(async () => {
    matrix = await loadMatrix(fixture('small.tsv'), { threads: 2 });
  });
  after(() => matrix.close());

  it('runs once per contig; the tasks write their results into a SharedArrayBuffer the caller allocated', async () => {
    const args = siteSumsArgs();
    const progress: [number, number][] = [];
    const reports = await matrix.mapContigs<SiteSums>(task('site-sums'), args, { onProgress: (done, total) => progress.push([done, total]) });
    assert.deepEqual([...new Int32Array(args.out)], derivedCounts);
    let row = 0;
    assert.deepEqual(
      reports.map(({ contig, from, to, rowOffset, firstPos }) => ({ contig, from, to, rowOffset, firstPos })),
      source.contigs.map((contig) => ({ contig: contig.name, from: 0, to: contig.sites.length, rowOffset: (row += contig.sites.length) - contig.sites.length, firstPos: contig.sites[0]?.pos })),
    );
    assert.deepEqual(progress, [[1, 3], [2, 3], [3, 3]]);
  });

  it('decode helpers read the alleles of the text, by column name or index', async () => {
    const reports = await matrix.mapContigs<SiteSums>(task('site-sums'), siteSumsArgs());
    source.contigs.forEach((contig, c) => {
      const last = contig.sites.at(-1);
      assert.ok(last);
      assert.deepEqual(reports[c]?.lastRow, [last.ref, ...last.cells]);
      assert.equal(reports[c]?.lastOutByIndex, last.cells.at(-1));
      assert.equal(reports[c]?.allele, 'G');
      assert.equal(reports[c]?.byName, true);
      assert.deepEqual(reports[c]?.pairs, ['10a10b', '3a3b', '8a8b']);
    });
  });

  it('with chunkRows, runs once per row range and still returns the results in genome order', async () => {
    const args = siteSumsArgs();
    const reports = await matrix.mapContigs<SiteSums>(task('site-sums'), args, { chunkRows: 4 });
    assert.deepEqual([...new Int32Array(args.out)], derivedCounts);
    const expected = source.contigs.flatMap((contig, c) => {
      const start = source.contigs.slice(0, c).reduce((sum, previous) => sum + previous.sites.length, 0);
      const chunks = [];
      for (let from = 0; from < contig.sites.length; from += 4) {
        const to = Math.min(contig.sites.length, from + 4);
        chunks.push({ contig: contig.name, from, to, rowOffset: start + from, firstPos: contig.sites[from]?.pos });
      }
      return chunks;
    });
    assert.deepEqual(reports.map(({ contig, from, to, rowOffset, firstPos }) => ({ contig, from, to, rowOffset, firstPos })), expected);
  });

  it('threads limits how many tasks of the run are running at once', async () => {
    const rendezvous = task('rendezvous');
    const both = new SharedArrayBuffer(8);
    assert.deepEqual(await matrix.mapContigs(rendezvous, { running: both, waitMs: 20_000 }), [11, 5, 2]);
    assert.deepEqual([...new Int32Array(both)], [0, 2], 'without a limit, the two threads run tasks side by side');
    const one = new SharedArrayBuffer(8);
    assert.deepEqual(await matrix.mapContigs(rendezvous, { running: one, waitMs: 200 }, { threads: 1 }), [11, 5, 2]);
    assert.deepEqual([...new Int32Array(one)], [0, 1], 'threads: 1 runs one task at a time');
    await assert.rejects(matrix.mapContigs(rendezvous, {}, { threads: 0 }), UsageError);
    await assert.rejects(matrix.mapContigs(rendezvous, {}, { chunkRows: 0 }), UsageError);
  });

  it('view.arrow() gives apache-arrow vectors over the same shared memory as the raw views', async () => {
    const reports = await matrix.mapContigs<typeof import('./tasks/arrow-view.js').default>(task('arrow-view'), undefined, { chunkRows: 5 });
    const byContig = new Map<string, unknown[][]>();
    for (const report of reports) {
      assert.equal(report.shared, true, `${report.contig}: vectors are views of the shared buffers`);
      assert.equal(report.cached, true);
      assert.equal(report.chrom, report.contig);
      byContig.set(report.contig, [...(byContig.get(report.contig) ?? []), ...report.rows]);
    }
    assert.deepEqual(
      [...byContig.values()].flat(),
      rows.map((site) => [site.pos, site.ref, ...site.cells]),
    );
  });

  it("a task's exception rejects the run with its message and class", async () => {
    await assert.rejects(matrix.mapContigs(task('fail'), { contig: 'chr2', kind: 'range' }), (error: unknown) => {
      assert.ok(error instanceof RangeError);
      assert.equal(error.message, 'window out of range at chr2:5');
      return true;
    });
    await assert.rejects(matrix.mapContigs(task('fail'), { contig: 'chr3', kind: 'own' }), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal(error.name, 'AlleleCountError', 'the class name survives the thread boundary');
      assert.equal(error.message, 'too many alleles at chr3:1');
      assert.deepEqual({ ...error }, { code: 'E_ALLELES', site: { contig: 'chr3', pos: 1 } });
      assert.match(error.stack ?? '', /AlleleCountError: too many alleles/);
      return true;
    });
    const args = siteSumsArgs();
    await matrix.mapContigs(task('site-sums'), args);
    assert.deepEqual([...new Int32Array(args.out)], derivedCounts, 'the matrix still works');
  });

  it('a run right after a cancelled one never fails because of the threads the cancellation stops', async () => {
    // Each failing run cancels its other tasks, whose threads are stopped; the next run's tasks
    // must not be lost to a stopping thread ("Terminating worker thread"). Many cycles, because
    // whether a task meets a stopping thread depends on the scheduling of each cycle: before the
    // fix, 7 of 40 runs of one cycle failed, so 40 cycles miss the race with odds of (33/40)^40,
    // about 1 in 2,000.
    for (let cycle = 0; cycle < 40; cycle++) {
      await assert.rejects(matrix.mapContigs(task('fail-on-contig'), { contig: 'chr2' }), /boom on chr2/);
      const args = siteSumsArgs();
      await matrix.mapContigs(task('site-sums'), args);
      assert.deepEqual([...new Int32Array(args.out)], derivedCounts, `cycle ${cycle}`);
    }
  });

  it('a module without a default export function is a TypeError naming it', async () => {
    await assert.rejects(matrix.mapContigs(new URL('../test/matrix-text.js', import.meta.url)), (error: unknown) => error instanceof TypeError && /matrix-text\.js has no default export function/.test(error.message));
  });

  it('an AbortSignal stops running tasks; the run rejects and the matrix stays usable', async () => {
    const flags = new Int32Array(new SharedArrayBuffer(8));
    const controller = new AbortController();
    const run = matrix.mapContigs(task('block'), { flags: flags.buffer as SharedArrayBuffer }, { signal: controller.signal });
    // Wait (without a clock) until both threads are blocked inside a task, then abort.
    while (Atomics.load(flags, 0) < 2) await Atomics.waitAsync(flags, 0, Atomics.load(flags, 0)).value;
    controller.abort();
    await assert.rejects(run, { name: 'AbortError' });
    const args = siteSumsArgs();
    await matrix.mapContigs(task('site-sums'), args);
    assert.deepEqual([...new Int32Array(args.out)], derivedCounts);
    await assert.rejects(matrix.mapContigs(task('site-sums'), args, { signal: AbortSignal.abort(new Error('stop here')) }), /stop here/);
  });
});

describe('a closed matrix', () => {
  it('refuses new work with a usage error', async () => {
    const matrix = await loadMatrix(fixture('small.tsv'), { threads: 1 });
    await matrix.close();
    await assert.rejects(matrix.mapContigs(task('site-sums'), siteSumsArgs()), (error: unknown) => error instanceof UsageError && /closed/.test(error.message));
    assert.throws(() => matrix.column('POS'), /closed/);
    assert.throws(() => matrix.site('chr1', 100), /closed/);
    await matrix.close();
  });
});
