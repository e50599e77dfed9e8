import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allocateColumnStore, columnBytes, positions, type ColumnStore, type Segment } from '../src/read/column-store.js';
import { staggerUp } from '../src/layout/matrix-layout.js';
import { ContigGrouping, placeRows, planContigs, type PlaceOptions, type RowPlan } from '../src/read/group-contigs.js';
import { AlleleDictionary } from '../src/layout/allele-dictionary.js';
import { stringHash } from '../src/layout/name-hash.js';
import { Int32List } from '../src/layout/int32-list.js';
import { RUN_NUMBERS, runName, runNames } from '../src/worker/messages.js';
import { runParseTask } from '../src/worker/parse-chunk.js';
import { runPlaceTask } from '../src/worker/place-task.js';
import { nativeGrouping } from '../src/native.js';

/** A plan's contigs as objects: each name with its final row range. */
function placements(plan: RowPlan): { name: string; start: number; rows: number }[] {
  return plan.names.strings().map((name, i) => ({ name, start: plan.starts[i] as number, rows: plan.rows[i] as number }));
}

/** `placeRows` with its tasks run here, in turn (the workers run the same kernel); one store is one segment. */
function place(plan: RowPlan, columns: ColumnStore | Segment[], options: Partial<PlaceOptions> = {}): Promise<ColumnStore> {
  const segments = Array.isArray(columns) ? columns : [{ store: columns, base: 0 }];
  return placeRows(plan, segments, async (task) => runPlaceTask(task), { parts: 2, ...options });
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

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

/** The grouping's own loops, and the binding's when it is built: each test of the plan runs both. */
const ways = [{ way: 'own loops', native: null }, ...(nativeGrouping ? [{ way: 'binding', native: nativeGrouping }] : [])];

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
    assert.deepEqual(placements(plan), [{ name: 'a', start: 0, rows: 120 }, { name: 'b', start: 120, rows: 30 }, { name: 'c', start: 192, rows: 64 }]);
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

  it(`plans contigs as worked out the plain way, sorted or not, with runs without rows (${ways.map((w) => w.way).join(', ')})`, () => {
    // The plan worked out the plain way: contigs in order of first appearance, each one's runs in
    // order, a contig of 64 rows or more from a multiple of 64, moves merged where they continue.
    const oracle = (runs: { contig: string; src: number; rows: number }[]) => {
      const order: string[] = [];
      const byContig = new Map<string, { src: number; rows: number }[]>();
      for (const run of runs) {
        if (!byContig.has(run.contig)) {
          order.push(run.contig);
          byContig.set(run.contig, []);
        }
        if (run.rows > 0) byContig.get(run.contig)?.push(run);
      }
      const placed: { name: string; start: number; rows: number }[] = [];
      const moves: { src: number; dest: number; rows: number }[] = [];
      let dest = 0;
      for (const name of order) {
        const own = byContig.get(name) ?? [];
        const total = own.reduce((sum, run) => sum + run.rows, 0);
        if (total === 0) continue;
        if (total >= 64) dest = Math.ceil(dest / 64) * 64;
        placed.push({ name, start: dest, rows: total });
        for (const run of own) {
          const last = moves[moves.length - 1];
          if (last && last.src + last.rows === run.src && last.dest + last.rows === dest) last.rows += run.rows;
          else moves.push({ src: run.src, dest, rows: run.rows });
          dest += run.rows;
        }
      }
      return { placed, moves, extent: dest };
    };
    let seed = 7;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    for (let trial = 0; trial < 300; trial++) {
      // Runs in file order: mostly a new contig or the same one again (a chunk boundary), some
      // without rows (a skipped contig), and in a third of the trials an earlier contig met again.
      const runs: { contig: string; src: number; rows: number }[] = [];
      let src = 0;
      let contigs = 0;
      const count = 1 + random(40);
      for (let k = 0; k < count; k++) {
        const choice = random(10);
        let contig: string;
        if (contigs > 0 && choice < 3) contig = runs[runs.length - 1]?.contig as string;
        else if (contigs > 1 && choice === 3 && trial % 3 === 0) contig = `c${random(contigs)}`;
        else contig = `c${contigs++}`;
        const rows = random(5) === 0 ? 0 : 1 + random(random(2) === 0 ? 10 : 150);
        src += random(3) === 0 ? random(50) : 0; // a gap: the next chunk's region
        runs.push({ contig, src, rows });
        src += rows;
      }
      const expected = oracle(runs);
      for (const { way, native } of ways) {
        const plan = planContigs(runs, src, native);
        assert.deepEqual(placements(plan), expected.placed, `trial ${trial}, ${way}`);
        assert.deepEqual(plan.moves, expected.moves, `trial ${trial}, ${way}`);
        assert.equal(plan.extent, expected.extent, `trial ${trial}, ${way}`);
      }
    }
  });

  for (const { way, native } of ways) {
    it(`finds contigs by their name hash: names of one hash stay apart, a contig met again is grouped, the table grows (${way})`, () => {
      const grouping = new ContigGrouping(0, native);
      grouping.add('a', 0, 10, 7);
      grouping.add('b', 10, 10, 7); // the same hash, another name
      grouping.add('c', 20, 10, 7);
      grouping.add('a', 30, 5, 7); // back to a, after b and c
      grouping.add('skipped', 35, 0, 7); // met, no rows
      assert.deepEqual(grouping.names, ['a', 'b', 'c', 'skipped']);
      assert.equal(grouping.has('skipped'), false, 'has() hashes the name itself: stringHash, not 7');
      assert.deepEqual(placements(grouping.plan(100)), [{ name: 'a', start: 0, rows: 15 }, { name: 'b', start: 15, rows: 10 }, { name: 'c', start: 25, rows: 10 }]);
      // One chunk of runs all of one hash: each found again after the others in the same call.
      const chunk = new ContigGrouping(0, native);
      const names = ['a', 'b', 'a', 'c', 'b', 'c'];
      const numbers = new Int32Array(RUN_NUMBERS * names.length);
      names.forEach((_, k) => numbers.set([k + 1, 0, 0, -1, 7, 2 * k, 1], RUN_NUMBERS * k));
      chunk.addRuns({ names: names.join('\t'), numbers }, 0);
      assert.deepEqual(chunk.names, ['a', 'b', 'c']);
      const grouped = chunk.plan(21);
      assert.deepEqual(placements(grouped), [{ name: 'a', start: 0, rows: 4 }, { name: 'b', start: 4, rows: 7 }, { name: 'c', start: 11, rows: 10 }]);
      assert.deepEqual(grouped.moves, [{ src: 0, dest: 0, rows: 1 }, { src: 3, dest: 1, rows: 3 }, { src: 1, dest: 4, rows: 2 }, { src: 10, dest: 6, rows: 5 }, { src: 6, dest: 11, rows: 4 }, { src: 15, dest: 15, rows: 6 }]);
      // 3,000 contigs (the table starts at 128 slots), then each met again: grouped, none added.
      const many = new ContigGrouping(0, native);
      for (let i = 0; i < 3000; i++) many.add(`s${i}`, i, 1);
      for (let i = 0; i < 3000; i++) many.add(`s${i}`, 3000 + i, 1);
      assert.equal(many.names.length, 3000);
      assert.ok(many.has('s2999') && many.has('s0') && !many.has('s3000'));
      const plan = many.plan(6000);
      assert.deepEqual(placements(plan)[2999], { name: 's2999', start: 5998, rows: 2 });
    });
  }

  it('an int32 list keeps every entry as it grows, and copies them to shared memory of their own', () => {
    const list = new Int32List(2);
    const values = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? -1 - i * 2_000_000 : i * 2_000_000));
    for (const value of values) list.push(value);
    assert.equal(list.length, 1000);
    const copy = list.sharedCopy();
    assert.deepEqual(Array.from(copy), values);
    // Posted as it is, not copied: shared, and holding the entries and nothing more.
    assert.ok(copy.buffer instanceof SharedArrayBuffer);
    assert.equal(copy.buffer.byteLength, 4 * 1000);
    list.values[0] = 5;
    assert.equal(copy[0], -1, 'the copy is not a view of the list');
  });

  it('the parse hashes each run\'s name as stringHash does (UTF-8 bytes), ASCII or not', () => {
    const names = ['chr1', 'scaffold_12', 'contig-é', 'ü1'];
    const text = names.map((name, i) => `${name}\t${i + 1}\tA\tC\n`).join('');
    const bytes = new TextEncoder().encode(text);
    const block = new SharedArrayBuffer(bytes.length);
    new Uint8Array(block).set(bytes);
    const rows = names.length;
    const columns = [new SharedArrayBuffer(4 * rows), new SharedArrayBuffer(rows), new SharedArrayBuffer(rows)];
    const result = runParseTask({ kind: 'parse', source: { type: 'block', bytes: block, length: bytes.length }, fields: 4, columns, alleles: AlleleDictionary.create().buffer, rowStart: 0, rowCapacity: rows, allowUnsorted: false });
    assert.equal(result.problem, undefined);
    assert.deepEqual(
      names.map((_, k) => runName(result.runs, k)),
      names,
    );
    assert.equal(result.runs.names, names.join('\t'), 'one string, each name where its numbers say');
    assert.deepEqual(runNames(result.runs.names), names);
    assert.deepEqual(
      names.map((_, k) => result.runs.numbers[RUN_NUMBERS * k + 4]),
      names.map((name) => stringHash(name)),
    );
  });

  it("the plan's names: one at a time, all as strings and as bytes, from where the parse put them, ASCII or not", () => {
    for (const names of [['chr1', 'chr2', 'scaffold_10'], ['chr1', 'contig-é', 'ü1']]) {
      // Runs of each contig in two chunks (the first contig again after the others), and a
      // contig with no rows (as a skipped one), which the plan leaves out.
      const grouping = new ContigGrouping();
      grouping.add(names[0] as string, 0, 2);
      grouping.add('skipped', 2, 0);
      grouping.add(names[1] as string, 2, 3);
      grouping.add(names[2] as string, 5, 1);
      grouping.add(names[0] as string, 6, 4);
      const plan = grouping.plan(10);
      assert.equal(plan.names.count, 3);
      assert.deepEqual(plan.names.strings(), names);
      assert.deepEqual([0, 1, 2].map((c) => plan.names.name(c)), names);
      const { names: bytes, start, length, ascii } = plan.names.bytes();
      assert.ok(bytes.buffer instanceof SharedArrayBuffer, 'in shared memory');
      assert.equal(ascii, names.every((name) => /^[\x00-\x7f]*$/.test(name)));
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
      assert.deepEqual([0, 1, 2].map((c) => text.toString('utf8', start[c], (start[c] as number) + (length[c] as number))), names);
    }
  });

  it('many small contigs in file order: no padding and a single move', () => {
    const runs = Array.from({ length: 1000 }, (_, i) => ({ contig: `s${i}`, src: 20 * i, rows: 20, label: 1 + (i % 200) }));
    const plan = planContigs(runs, 20_000);
    assert.equal(plan.extent, 20_000);
    assert.deepEqual(plan.moves, [{ src: 0, dest: 0, rows: 20_000 }]);
    assert.deepEqual(placements(plan)[999], { name: 's999', start: 19_980, rows: 20 });
  });

  it('groups a split contig (in order of first appearance) into a new store when moving in place would overwrite', async () => {
    const runs = [
      { contig: 'a', src: 0, rows: 64, label: 1 },
      { contig: 'b', src: 64, rows: 64, label: 2 },
      { contig: 'a', src: 128, rows: 10, label: 3 },
    ];
    const plan = planContigs(runs, 200);
    assert.deepEqual(placements(plan), [{ name: 'a', start: 0, rows: 74 }, { name: 'b', start: 128, rows: 64 }]);
    assert.equal(plan.inPlace, false);
    const out = await place(plan, store(200, runs));
    assert.equal(out.capacity, 192);
    const bytes = columnBytes(out, 1, 0, 192);
    assert.deepEqual([bytes[63], bytes[64], bytes[73], bytes[128], bytes[191]], [1, 3, 3, 2, 2]);
    const pos = positions(out);
    assert.deepEqual([pos[63], pos[64], pos[73], pos[128], pos[191]], [1, 3, 3, 2, 2]);
  });

  it('moves rows held in several segments into a new store, cutting a move where one segment ends and the next begins', async () => {
    // Row space: segment 0 holds rows [0, 30) (its rows from 30 on are unused), segment 1 rows
    // [30, 94), segment 2 rows [94, 158). Labels are 100 + the row, so every row is told apart.
    const bases = [0, 30, 94];
    const segments = bases.map((base) => {
      const segment = { store: allocateColumnStore(2, 64), base };
      const bytes = columnBytes(segment.store, 1, 0, 64);
      const pos = positions(segment.store, 0, 64);
      for (let r = 0; r < 64; r++) {
        bytes[r] = (100 + base + r) % 256;
        pos[r] = 100 + base + r;
      }
      return segment;
    });
    const runs = [
      { contig: 'a', src: 20, rows: 50 }, // rows 20-29 of segment 0, then 0-39 of segment 1
      { contig: 'b', src: 70, rows: 80 }, // rows 40-63 of segment 1, then 0-55 of segment 2
      { contig: 'a', src: 5, rows: 3 }, // segment 0 again, behind a's first run
    ];
    const plan = planContigs(runs, 64);
    // a: 53 rows from row 0; b (64 rows or more) from the next 64-row boundary.
    assert.deepEqual(placements(plan), [{ name: 'a', start: 0, rows: 53 }, { name: 'b', start: 64, rows: 80 }]);
    const out = await place(plan, segments);
    assert.equal(out.capacity, 192);
    const expected = [...range(20, 70), ...range(5, 8), ...Array.from({ length: 64 - 53 }, () => undefined), ...range(70, 150)];
    assert.equal(expected.length, 144);
    const pos = positions(out, 0, 144);
    expected.forEach((row, r) => {
      if (row === undefined) return;
      assert.equal(pos[r], 100 + row, `POS of row ${r}`);
      assert.equal(columnBytes(out, 1, r, 1)[0], (100 + row) % 256, `allele of row ${r}`);
    });
  });

  it('renumbers the allele codes through the map on the way, in place and into a new store; POS as it is', async () => {
    const runs = [
      { contig: 'a', src: 0, rows: 70, label: 1 },
      { contig: 'b', src: 100, rows: 10, label: 2 },
    ];
    const map = Uint8Array.from({ length: 256 }, (_, code) => (code + 10) % 256);
    // One segment: in place; the same rows cut into two segments: into a new store.
    for (const cut of [false, true]) {
      const plan = planContigs(runs, 200);
      const whole = store(200, runs);
      // Cut: segment 0 holds rows [0, 50) (its rows from 50 on hold 0s), segment 1 the rest from its row 0.
      const first = store(200, [{ src: 0, rows: 50, label: 1 }]);
      const second = store(200, [{ src: 0, rows: 20, label: 1 }, { src: 50, rows: 10, label: 2 }]);
      const out = await place(plan, cut ? [{ store: first, base: 0 }, { store: second, base: 50 }] : whole, { map });
      assert.equal(out === whole, !cut);
      const bytes = columnBytes(out, 1, 0, plan.extent);
      assert.deepEqual([bytes[0], bytes[69], bytes[70], bytes[79]], [11, 11, 12, 12], `cut ${cut}`);
      assert.deepEqual(Array.from(positions(out, 69, 3)), [1, 2, 2], `cut ${cut}`);
    }
  });

  it('puts POS in its own buffer and the allele columns side by side, a new buffer when one is full', () => {
    // 100 rows: 2 units of 64, made 3 (an odd number of units, see the next test).
    const columns = allocateColumnStore(6, 100, 384);
    assert.equal(columns.capacity, 192);
    assert.deepEqual(columns.buffers.map((b) => b.byteLength), [768, 384, 384, 192]);
    assert.deepEqual(columns.columns, [
      { buffer: 0, byteOffset: 0 },
      { buffer: 1, byteOffset: 0 },
      { buffer: 1, byteOffset: 192 },
      { buffer: 2, byteOffset: 0 },
      { buffer: 2, byteOffset: 192 },
      { buffer: 3, byteOffset: 0 },
    ]);
  });

  it('staggers the columns: a capacity of an odd number of 64-row units, so 64 side-by-side columns start in 64 different cache sets', () => {
    assert.deepEqual([1, 64, 65, 128, 129, 192, 4096, 1 << 18, 4_513_900].map(staggerUp), [64, 64, 192, 192, 192, 192, 4160, (1 << 18) + 64, 4_513_984]);
    for (const rows of [4096, 1 << 18, 1 << 20, 987_136]) {
      const { capacity, columns } = allocateColumnStore(65, rows);
      assert.ok(capacity >= rows && capacity - rows <= 2 * 64, `${rows} rows: capacity ${capacity}`);
      const sets = new Set(columns.slice(1).map((ref) => (ref.byteOffset % 4096) / 64));
      assert.equal(sets.size, 64, `${rows} rows: the allele columns start in ${sets.size} of the 64 sets`);
    }
  });
});
