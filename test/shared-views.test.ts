// Shared views of a group's small contigs (worker/shared-views.ts, worker/task-group.ts): ranges
// of a loaded text matrix are rows of the same column regions, and each range's rows in the shared
// views must be its own rows; a packed file's batches (each its own record batch, checked on first
// use) and ranges whose rows lie before the run's share nothing.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadMatrix, pack, type Matrix } from '../src/index.js';
import { batchViews, type MatrixLayout } from '../src/layout/matrix-layout.js';
import type { WorkerTask } from '../src/worker/kernels.js';
import type { StatsTask } from '../src/worker/messages.js';
import { nativeTasks } from '../src/worker/name-scratch.js';
import { restoreTasks, spanRows, taskGroup } from '../src/worker/task-group.js';
import { writeFileSync } from 'node:fs';
import { generate, scratchDir } from './helpers.js';

/** Range tasks as the driver makes them: rows `[from, to)` of each batch, with the layout's buffers. */
function ranges(layout: MatrixLayout, cut: (rows: number) => [number, number]): StatsTask[] {
  return layout.batches.map((batch) => {
    const [from, to] = cut(batch.rows);
    return { kind: 'stats', buffers: layout.buffers, alleles: layout.alleles, batch, contig: layout.contigs[batch.contig] as string, from, to } as StatsTask;
  });
}

/** The tasks of a group message, made again as a worker makes them. */
function restored(tasks: WorkerTask[]) {
  return restoreTasks(structuredClone(taskGroup(tasks)));
}

describe('shared views of small contigs', () => {
  const scratch = scratchDir();
  let text: Matrix;
  let packed: Matrix;

  before(async () => {
    // 40 contigs of 5 sites: under 64 rows, so each follows the previous one in every column.
    const path = join(scratch.dir, 'small.tsv');
    generate(path, ['--contigs', '40', '--sites', '5', '--seed', '3', '--haplotypes', '5']);
    text = await loadMatrix(path, { threads: 1 });
    await pack(text, { output: join(scratch.dir, 'small.arrow') });
    packed = await loadMatrix(join(scratch.dir, 'small.arrow'), { threads: 1 });
  });
  after(async () => {
    await text?.close();
    await packed?.close();
    scratch.cleanup();
  });

  it('a text matrix: one run, each range reading its own rows, its task as sent', () => {
    const sent = ranges(text.layout, (rows) => [1, rows]);
    const { tasks, shared } = restored(sent);
    const views = shared[0]?.views;
    assert.ok(views);
    tasks.forEach((task, k) => {
      const rows = shared[k];
      assert.ok(rows, `range ${k} has shared rows`);
      assert.equal(rows.views, views, `range ${k} is in the first range's run`);
      const original = sent[k] as StatsTask;
      const again = task as StatsTask;
      assert.deepEqual([again.kind, again.contig, again.from, again.to, again.batch.rows], [original.kind, original.contig, original.from, original.to, original.batch.rows]);
      const own = batchViews(original, original.batch, original.from, original.to);
      assert.deepEqual(batchViews(again, again.batch, again.from, again.to), own, 'the batch made again reads the same rows');
      const count = original.to - original.from;
      assert.deepEqual(rows.views.pos.subarray(rows.row, rows.row + count), own.pos);
      assert.deepEqual(rows.views.ref.subarray(rows.row, rows.row + count), own.ref);
      own.haplotypes.forEach((column, h) => assert.deepEqual(rows.views.haplotypes[h]?.subarray(rows.row, rows.row + count), column));
      // The same task sent alone (WorkerPool.run) comes back the same task, with no shared rows.
      const alone = restoreTasks(structuredClone(taskGroup([original], 'single')));
      const task1 = alone.tasks[0] as StatsTask;
      assert.deepEqual([task1.kind, task1.contig, task1.from, task1.to, alone.shared[0]], [original.kind, original.contig, original.from, original.to, undefined]);
      assert.deepEqual(batchViews(task1, task1.batch, task1.from, task1.to), own);
    });
  });

  it('a range whose rows lie before the run, or in other buffers, starts a run of its own', () => {
    const [a, b, c] = ranges(text.layout, (rows) => [0, rows]) as [StatsTask, StatsTask, StatsTask];
    // a comes after b but lies before it: a new run starts at a, and c joins it.
    const { shared } = restored([b, a, c]);
    assert.equal(shared[0], undefined);
    assert.ok(shared[1] && shared[2] && shared[1].views === shared[2].views);
    // Other buffers (a copy of the matrix's) break the run.
    const copy = text.layout.buffers.map((buffer) => {
      const other = new SharedArrayBuffer(buffer.byteLength);
      new Uint8Array(other).set(new Uint8Array(buffer));
      return other;
    });
    const moved = restored([a, { ...b, buffers: copy }, c]).shared;
    assert.deepEqual(moved.map((rows) => rows === undefined), [true, true, true]);
  });

  it('span rows: the numbers, names and rows the joined path hands the binding, with no task per range', async () => {
    // Names of 1-, 2- and 3-byte characters: offsets in bytes, not in characters.
    const path = join(scratch.dir, 'names.tsv');
    const lines = ['CHROM\tPOS\tREF\ta1\ta2'];
    ['chr1', 'contigÄ', 'x', 'séquence_2', '染色体3'].forEach((name, c) => {
      for (let s = 0; s < 2 + c; s++) lines.push(`${name}\t${10 + s}\tA\tA\t${'ACGT-N'[(c + s) % 6]}`);
    });
    writeFileSync(path, `${lines.join('\n')}\n`);
    const named = await loadMatrix(path, { threads: 1 });
    try {
      for (const layout of [named.layout, text.layout]) {
        const sent = ranges(layout, (rows) => [1, rows]);
        const { tasks, shared } = restored(sent);
        const span = spanRows(structuredClone(taskGroup(sent, 'joined')));
        assert.ok(span);
        const expected = nativeTasks(tasks as StatsTask[], shared, 0, tasks.length);
        assert.deepEqual(span.numbers, expected.numbers);
        assert.deepEqual(Buffer.from(span.names), Buffer.from(expected.names));
        assert.deepEqual(Buffer.from(span.names).toString('utf8'), sent.map((task) => task.contig).join(''));
        const views = shared[0]?.views;
        assert.ok(views);
        assert.deepEqual(span.views, views, 'the views of the whole run');
        assert.deepEqual([span.head.kind, (span.head as StatsTask).contig, (span.head as StatsTask).from], ['stats', sent[0]?.contig, 1]);
      }
    } finally {
      await named.close();
    }
  });

  it('span rows: none for ranges out of order, in other buffers, with fields of their own or checks', () => {
    const [a, b, c] = ranges(text.layout, (rows) => [0, rows]) as [StatsTask, StatsTask, StatsTask];
    const span = (tasks: WorkerTask[]) => spanRows(structuredClone(taskGroup(tasks, 'joined')));
    assert.ok(span([a, b, c]));
    assert.equal(span([b, a, c]), undefined);
    const copy = text.layout.buffers.map((buffer) => new SharedArrayBuffer(buffer.byteLength));
    assert.equal(span([a, { ...b, buffers: copy }, c]), undefined);
    assert.equal(span([a, { ...b, whole: true }, c]), undefined);
    assert.equal(span(ranges(packed.layout, (rows) => [0, rows])), undefined);
  });

  it('a packed matrix: no shared rows', () => {
    const { shared } = restored(ranges(packed.layout, (rows) => [0, rows]));
    assert.equal(shared.length, packed.layout.batches.length);
    assert.ok(shared.every((rows) => rows === undefined));
  });
});
