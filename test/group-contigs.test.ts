import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allocateColumnStore, columnBytes, positions, type ColumnStore } from '../src/read/column-store.js';
import { placeRows, planContigs, type PlaceOptions, type RowPlan } from '../src/read/group-contigs.js';
import { runPlaceTask } from '../src/worker/place-task.js';

/** `placeRows` with its tasks run here, in turn (the workers run the same kernel). */
function place(plan: RowPlan, columns: ColumnStore, options: Partial<PlaceOptions> = {}): Promise<ColumnStore> {
  return placeRows(plan, columns, async (task) => runPlaceTask(task), { parts: 2, ...options });
}

/** POS and one allele column where row i of the parse regions holds `label` (as POS too). */
function store(capacity: number, runs: { src: number; rows: number; label: number }[]): ColumnStore {
  const columns = allocateColumnStore(2, capacity);
  const bytes = columnBytes(columns, 1, 0, capacity);
  const pos = positions(columns);
  for (const run of runs) {
    bytes.fill(run.label, run.src, run.src + run.rows);
    pos.fill(run.label, run.src, run.src + run.rows);
  }
  return columns;
}

describe('grouping contig runs', () => {
  it('moves runs left in place when contigs are not split; a contig under 64 rows follows the previous one unpadded', async () => {
    const runs = [
      { contig: 'a', src: 0, rows: 100, label: 1 },
      { contig: 'a', src: 150, rows: 20, label: 2 },
      { contig: 'b', src: 170, rows: 30, label: 3 },
      { contig: 'c', src: 200, rows: 64, label: 4 },
    ];
    const plan = planContigs(runs, 400);
    assert.equal(plan.inPlace, true);
    // b (30 rows) right after a; c (64 rows) on the next 64-row boundary.
    assert.deepEqual(plan.contigs, [{ name: 'a', start: 0, rows: 120 }, { name: 'b', start: 120, rows: 30 }, { name: 'c', start: 192, rows: 64 }]);
    // a's second run and b are adjacent in the file and in the plan: one move.
    assert.deepEqual(plan.moves, [{ src: 0, dest: 0, rows: 100 }, { src: 150, dest: 100, rows: 50 }, { src: 200, dest: 192, rows: 64 }]);
    const before = store(400, runs);
    const out = await place(plan, before);
    assert.equal(out, before);
    const bytes = columnBytes(out, 1, 0, 256);
    assert.deepEqual([bytes[0], bytes[99], bytes[100], bytes[119], bytes[120], bytes[149], bytes[192], bytes[255]], [1, 1, 2, 2, 3, 3, 4, 4]);
    const pos = positions(out, 0, 256);
    assert.deepEqual([pos[0], pos[99], pos[100], pos[119], pos[120], pos[149], pos[192], pos[255]], [1, 1, 2, 2, 3, 3, 4, 4]);
  });

  it('many small contigs in file order: no padding and a single move', () => {
    const runs = Array.from({ length: 1000 }, (_, i) => ({ contig: `s${i}`, src: 20 * i, rows: 20, label: 1 + (i % 200) }));
    const plan = planContigs(runs, 20_000);
    assert.equal(plan.extent, 20_000);
    assert.deepEqual(plan.moves, [{ src: 0, dest: 0, rows: 20_000 }]);
    assert.deepEqual(plan.contigs[999], { name: 's999', start: 19_980, rows: 20 });
  });

  it('groups a split contig (in order of first appearance) into a new store when moving in place would overwrite', async () => {
    const runs = [
      { contig: 'a', src: 0, rows: 64, label: 1 },
      { contig: 'b', src: 64, rows: 64, label: 2 },
      { contig: 'a', src: 128, rows: 10, label: 3 },
    ];
    const plan = planContigs(runs, 200);
    assert.deepEqual(plan.contigs, [{ name: 'a', start: 0, rows: 74 }, { name: 'b', start: 128, rows: 64 }]);
    assert.equal(plan.inPlace, false);
    const out = await place(plan, store(200, runs));
    assert.equal(out.capacity, 192);
    const bytes = columnBytes(out, 1, 0, 192);
    assert.deepEqual([bytes[63], bytes[64], bytes[73], bytes[128], bytes[191]], [1, 3, 3, 2, 2]);
    const pos = positions(out);
    assert.deepEqual([pos[63], pos[64], pos[73], pos[128], pos[191]], [1, 3, 3, 2, 2]);
  });

  it('compacts into a new store when asked, even when moving in place would do', async () => {
    const runs = [{ contig: 'a', src: 10, rows: 3, label: 7 }];
    const plan = planContigs(runs, 20);
    const before = store(20, runs);
    const out = await place(plan, before, { compact: true });
    assert.notEqual(out, before);
    assert.deepEqual(Array.from(positions(out, 0, 3)), [7, 7, 7]);
    assert.deepEqual(Array.from(columnBytes(out, 1, 0, 3)), [7, 7, 7]);
  });

  it('renumbers the allele codes through the map on the way, in place and into a new store; POS as it is', async () => {
    const runs = [
      { contig: 'a', src: 0, rows: 70, label: 1 },
      { contig: 'b', src: 100, rows: 10, label: 2 },
    ];
    const map = Uint8Array.from({ length: 256 }, (_, code) => (code + 10) % 256);
    for (const compact of [false, true]) {
      const plan = planContigs(runs, 200);
      const out = await place(plan, store(200, runs), { compact, map });
      const bytes = columnBytes(out, 1, 0, plan.extent);
      assert.deepEqual([bytes[0], bytes[69], bytes[70], bytes[79]], [11, 11, 12, 12], `compact ${compact}`);
      assert.deepEqual(Array.from(positions(out, 69, 3)), [1, 2, 2], `compact ${compact}`);
    }
  });

  it('puts POS in its own buffer and the allele columns side by side, a new buffer when one is full', () => {
    const columns = allocateColumnStore(6, 100, 256);
    assert.equal(columns.capacity, 128);
    assert.deepEqual(columns.buffers.map((b) => b.byteLength), [512, 256, 256, 128]);
    assert.deepEqual(columns.columns, [
      { buffer: 0, byteOffset: 0 },
      { buffer: 1, byteOffset: 0 },
      { buffer: 1, byteOffset: 128 },
      { buffer: 2, byteOffset: 0 },
      { buffer: 2, byteOffset: 128 },
      { buffer: 3, byteOffset: 0 },
    ]);
  });
});
