// Shared views of a group's small contigs (worker/shared-views.ts): ranges of a loaded text matrix
// are rows of the same column regions, and each range's rows in the shared views must be its own
// rows; a packed file's batches (each its own record batch, checked on first use) share nothing.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadMatrix, pack, type Matrix } from '../src/index.js';
import { batchViews, type MatrixLayout } from '../src/layout/matrix-layout.js';
import { sharedRows } from '../src/worker/shared-views.js';
import { generate, scratchDir } from './helpers.js';

/** Range tasks as the driver makes them: rows `[from, to)` of each batch, with the layout's buffers. */
function ranges(layout: MatrixLayout, cut: (rows: number) => [number, number]) {
  return layout.batches.map((batch) => {
    const [from, to] = cut(batch.rows);
    return { buffers: layout.buffers, batch, from, to };
  });
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

  it('a text matrix: one run, each range reading its own rows', () => {
    const tasks = ranges(text.layout, (rows) => [1, rows]);
    const shared = sharedRows(tasks);
    assert.equal(shared.length, tasks.length);
    const views = shared[0]?.views;
    assert.ok(views);
    tasks.forEach((task, k) => {
      const rows = shared[k];
      assert.ok(rows, `range ${k} has shared rows`);
      assert.equal(rows.views, views, `range ${k} is in the first range's run`);
      const own = batchViews(task, task.batch, task.from, task.to);
      const count = task.to - task.from;
      assert.deepEqual(rows.views.pos.subarray(rows.row, rows.row + count), own.pos);
      assert.deepEqual(rows.views.ref.subarray(rows.row, rows.row + count), own.ref);
      own.haplotypes.forEach((column, h) => assert.deepEqual(rows.views.haplotypes[h]?.subarray(rows.row, rows.row + count), column));
    });
  });

  it('a range before the run start, or of other buffers, starts a run of its own', () => {
    const tasks = ranges(text.layout, (rows) => [0, rows]);
    const [a, b, c] = tasks as [(typeof tasks)[number], (typeof tasks)[number], (typeof tasks)[number]];
    // a comes after b but lies before it: a new run starts at a, and c joins it.
    const shared = sharedRows([b, a, c]);
    assert.equal(shared[0], undefined);
    assert.ok(shared[1] && shared[2] && shared[1].views === shared[2].views);
    // Other buffers (a copy of the one-byte columns' buffer) break the run.
    const copy = text.layout.buffers.map((buffer) => {
      const other = new SharedArrayBuffer(buffer.byteLength);
      new Uint8Array(other).set(new Uint8Array(buffer));
      return other;
    });
    const moved = sharedRows([a, { ...b, buffers: copy }, c]);
    assert.deepEqual(moved.map((rows) => rows === undefined), [true, true, true]);
  });

  it('a packed matrix: no shared rows', () => {
    const shared = sharedRows(ranges(packed.layout, (rows) => [0, rows]));
    assert.equal(shared.length, packed.layout.batches.length);
    assert.ok(shared.every((rows) => rows === undefined));
  });
});
