import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyRowPlan, planContigs } from '../src/read/group-contigs.js';

/** Column of one-byte rows where row i of the parse regions holds `label`. */
function column(capacity: number, runs: { src: number; rows: number; label: number }[]): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(capacity);
  const bytes = new Uint8Array(buffer);
  for (const run of runs) bytes.fill(run.label, run.src, run.src + run.rows);
  return buffer;
}

describe('grouping contig runs', () => {
  it('moves runs left in place when contigs are not split', () => {
    const runs = [
      { contig: 'a', src: 0, rows: 100, label: 1 },
      { contig: 'a', src: 150, rows: 20, label: 2 },
      { contig: 'b', src: 170, rows: 30, label: 3 },
    ];
    const plan = planContigs(runs, 400);
    assert.equal(plan.inPlace, true);
    assert.deepEqual(plan.contigs, [{ name: 'a', start: 0, rows: 120 }, { name: 'b', start: 128, rows: 30 }]);
    const [out] = applyRowPlan(plan, [column(400, runs)], [1]);
    const bytes = new Uint8Array(out as SharedArrayBuffer);
    assert.deepEqual([bytes[0], bytes[99], bytes[100], bytes[119], bytes[128], bytes[157]], [1, 1, 2, 2, 3, 3]);
  });

  it('groups a split contig (in order of first appearance) into new buffers when moving in place would overwrite', () => {
    const runs = [
      { contig: 'a', src: 0, rows: 64, label: 1 },
      { contig: 'b', src: 64, rows: 64, label: 2 },
      { contig: 'a', src: 128, rows: 10, label: 3 },
    ];
    const plan = planContigs(runs, 200);
    assert.deepEqual(plan.contigs, [{ name: 'a', start: 0, rows: 74 }, { name: 'b', start: 128, rows: 64 }]);
    assert.equal(plan.inPlace, false);
    const [out] = applyRowPlan(plan, [column(200, runs)], [1]);
    const bytes = new Uint8Array(out as SharedArrayBuffer);
    assert.deepEqual([bytes[63], bytes[64], bytes[73], bytes[128], bytes[191]], [1, 3, 3, 2, 2]);
  });

  it('moves multi-byte rows (POS) by whole rows', () => {
    const plan = planContigs([{ contig: 'a', src: 10, rows: 3 }], 20);
    const buffer = new SharedArrayBuffer(80);
    new Int32Array(buffer).set([7, 8, 9], 10);
    const [out] = applyRowPlan(plan, [buffer], [4]);
    assert.deepEqual(Array.from(new Int32Array(out as SharedArrayBuffer, 0, 3)), [7, 8, 9]);
  });
});
