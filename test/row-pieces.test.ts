// RowPieces (layout/row-pieces.ts), the step `pack` shares between its spans on the main thread and
// its workers' kernel: contigs merge into one piece only where the next starts where the last ended,
// in the same source; `sorted` is about POS within each contig, not across contigs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RowPieces } from '../src/layout/row-pieces.js';

test('adjacent contigs of one source merge; a gap or another source starts a piece', () => {
  const a = 'a';
  const b = 'b';
  const pos = Int32Array.of(1, 2, 3, 10, 11, 7, 1, 2, 3, 4);
  const runs = new RowPieces<string>();
  runs.add(a, pos, 0, 3); // rows 0-2
  runs.add(a, pos, 3, 2); // rows 3-4: adjacent, merged
  runs.add(a, pos, 6, 4); // rows 6-9: row 5 skipped, a new piece
  runs.add(b, pos, 0, 1); // another source: a new piece even at a matching row
  assert.deepEqual(runs.pieces, [
    { source: a, start: 0, rows: 5 },
    { source: a, start: 6, rows: 4 },
    { source: b, start: 0, rows: 1 },
  ]);
  assert.equal(runs.total, 10);
  // POS falls from 11 to 7 only between contigs' rows (4 -> 6) and from 3 to 1 at a new contig: sorted.
  assert.equal(runs.sorted, true);
});

test('a contig whose POS decreases makes the pieces unsorted', () => {
  const pos = Int32Array.of(5, 6, 4, 9);
  const runs = new RowPieces<number>();
  runs.add(0, pos, 0, 2);
  assert.equal(runs.sorted, true);
  runs.add(0, pos, 2, 2); // 4, 9: sorted itself
  assert.equal(runs.sorted, true);
  const whole = new RowPieces<number>();
  whole.add(0, pos, 0, 4); // 5, 6, 4, 9 in one contig
  assert.equal(whole.sorted, false);
  assert.deepEqual(whole.pieces, [{ source: 0, start: 0, rows: 4 }]);
});

test("a batch table's contigs added at once: the same pieces, total and order check as one at a time", () => {
  // Rows 0-2, 3-4 (adjacent), 6-9 (after a gap), and 10-12 whose POS falls: then unsorted.
  const pos = Int32Array.of(1, 2, 3, 10, 11, 7, 1, 2, 3, 4, 9, 8, 12);
  const row = Float64Array.of(0, 3, 6, 10);
  const rows = Float64Array.of(3, 2, 4, 3);
  for (const [first, count, sorted] of [
    [0, 3, true],
    [1, 3, false],
    [0, 4, false],
  ] as const) {
    const one = new RowPieces<string>();
    for (let k = first; k < first + count; k++) one.add('a', pos, row[k] as number, rows[k] as number);
    const all = new RowPieces<string>();
    all.addAll('a', pos, row, rows, first, count);
    assert.deepEqual(all.pieces, one.pieces, `contigs ${first}-${first + count - 1}`);
    assert.equal(all.total, one.total);
    assert.equal(all.sorted, sorted);
    assert.equal(one.sorted, sorted);
  }
});
