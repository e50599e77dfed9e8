// The selection mechanism on its own (src/select): how -r, -R and -s are read, how regions merge,
// and how a batch is cut to the rows of its regions without copying. Every expected value below
// is worked out by hand from the inputs written next to it.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, it } from 'node:test';
import { UsageError } from '../src/errors.js';
import { batchViews, LAYOUT_VERSION, type MatrixLayout } from '../src/layout/matrix-layout.js';
import { contigRuns } from '../src/select/contig-runs.js';
import { CONTIG_END, parseRegions, readRegionsFile, regionSet, selectionOf } from '../src/select/regions.js';
import { parseSamples, selectSamples } from '../src/select/samples.js';
import { gatherRows, rowSpans, selectRegions, sliceBatch } from '../src/select/select-regions.js';
import { scratchDir } from './helpers.js';

const E = CONTIG_END;

describe('parseRegions (-r)', () => {
  it('reads the forms bcftools takes, 1-based and inclusive', () => {
    assert.deepEqual(parseRegions('chr1'), [{ contig: 'chr1', from: 1, to: E }]);
    assert.deepEqual(parseRegions('chr1:100'), [{ contig: 'chr1', from: 100, to: 100 }]);
    assert.deepEqual(parseRegions('chr1:100-200'), [{ contig: 'chr1', from: 100, to: 200 }]);
    assert.deepEqual(parseRegions('chr1:100-'), [{ contig: 'chr1', from: 100, to: E }]);
    assert.deepEqual(parseRegions('chr1:-200'), [{ contig: 'chr1', from: 1, to: 200 }]);
    assert.deepEqual(parseRegions('chr1:0-5'), [{ contig: 'chr1', from: 1, to: 5 }]);
    assert.deepEqual(parseRegions('chr1:2k-1.5M'), [{ contig: 'chr1', from: 2000, to: 1_500_000 }]);
    assert.deepEqual(parseRegions(' chr2 , HLA:A:3-4,'), [
      { contig: 'chr2', from: 1, to: E },
      { contig: 'HLA:A', from: 3, to: 4 },
    ]);
  });

  it('refuses what is not a region, with the item in the message', () => {
    for (const [value, message] of [
      ['chr1:abc', /-r "chr1:abc": "abc" is not a position/],
      ['chr1:5-1', /-r "chr1:5-1": the end 1 is before the start 5/],
      ['chr1:', /-r "chr1:": expected CHR, CHR:POS, CHR:FROM-TO or CHR:FROM-/],
      [':5', /-r ":5": expected CHR/],
      ['chr1:1-2-3', /-r "chr1:1-2-3": expected CHR/],
      ['chr1:1.5', /"1.5" is not a position/],
      ['', /no region given/],
      ['chr1:1,000-2,000', /"000-2" is not a region \(commas separate regions/],
    ] as const) {
      assert.throws(() => parseRegions(value), (error: Error) => error instanceof UsageError && message.test(error.message), value);
    }
  });
});

describe('regionSet', () => {
  it('merges overlapping and adjacent intervals per contig, sorted, contigs in the order first named', () => {
    const set = regionSet(parseRegions('chr2:50-60,chr1:300-400,chr1:10-20,chr1:15-30,chr1:31-40,chr1:350-360,chr1:42'));
    assert.deepEqual([...set.intervals.keys()], ['chr2', 'chr1']);
    assert.deepEqual(set.intervals.get('chr1'), [
      { from: 10, to: 40 },
      { from: 42, to: 42 },
      { from: 300, to: 400 },
    ]);
  });

  it('--contigs is whole contigs; two selections at once are refused', () => {
    assert.deepEqual(selectionOf({ contigs: ['a', 'b'] })?.intervals.get('b'), [{ from: 1, to: E }]);
    assert.equal(selectionOf({}), undefined);
    assert.throws(() => selectionOf({ contigs: ['a'], regions: 'a:1-2' }), /--contigs and -r\/--regions: give one of them/);
  });
});

describe('readRegionsFile (-R)', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);
  const write = scratch.file;

  it('BED (named .bed or .bed.gz): 0-based, end exclusive; headers skipped', () => {
    const text = '# comment\ntrack name=x\nbrowser position chr1\nchr1\t99\t200\tname\t0\t+\n\nchr2\t0\t1\r\nchr2\t7\t7\n';
    const expected = [
      { contig: 'chr1', from: 100, to: 200 },
      { contig: 'chr2', from: 1, to: 1 },
    ];
    assert.deepEqual(readRegionsFile(write('a.bed', text)), expected);
    assert.deepEqual(readRegionsFile(write('a.BED.gz', gzipSync(text))), expected);
  });

  it('anything else: tab-separated CHR POS [END], 1-based and inclusive', () => {
    assert.deepEqual(readRegionsFile(write('a.tsv', '#CHROM\tPOS\tEND\nchr1\t99\t200\nchr2\t5\n')), [
      { contig: 'chr1', from: 99, to: 200 },
      { contig: 'chr2', from: 5, to: 5 },
    ]);
  });

  it('a bad line: a usage error naming the file and the line', () => {
    const bed = write('bad.bed', 'chr1\t1\t5\nchr1\t5\n');
    assert.throws(() => readRegionsFile(bed), (error: Error) => error instanceof UsageError && error.message === `${bed}:2: expected CHR, START and END separated by tabs (BED: 0-based, END exclusive)`);
    const tsv = write('bad.txt', 'chr1\t1\t5\nchr1\tx\t7\n');
    assert.throws(() => readRegionsFile(tsv), new RegExp(`${tsv}:2: "x" is not a whole number`));
    const reversed = write('rev.txt', 'chr1\t9\t5\n');
    assert.throws(() => readRegionsFile(reversed), new RegExp(`${reversed}:1: the end 5 is before the start 9`));
    assert.throws(() => readRegionsFile(write('empty.bed', '# nothing\n')), /no regions in the file/);
    assert.throws(() => readRegionsFile(join(scratch.dir, 'absent.bed')), /-R .*absent.bed: cannot read the regions file \(ENOENT\)/);
  });
});

describe('rowSpans and sliceBatch', () => {
  it('sorted positions: two binary searches per interval', () => {
    const pos = Int32Array.from([3, 5, 5, 8, 10, 12, 20]);
    assert.deepEqual(rowSpans(pos, [{ from: 4, to: 8 }, { from: 11, to: 11 }, { from: 12, to: 100 }]), [
      { from: 1, to: 4 }, // rows 1-3: POS 5, 5, 8
      { from: 5, to: 7 }, // rows 5-6: POS 12, 20
    ]);
    assert.deepEqual(rowSpans(pos, [{ from: 1, to: 2 }, { from: 21, to: 30 }]), []);
  });

  it('unsorted positions (--allow-unsorted): a scan, maximal runs of rows inside', () => {
    const pos = Int32Array.from([5, 3, 9, 4, 4, 7]);
    assert.deepEqual(rowSpans(pos, [{ from: 3, to: 4 }]), [
      { from: 1, to: 2 },
      { from: 3, to: 5 },
    ]);
    assert.deepEqual(rowSpans(pos, [{ from: 3, to: 5 }, { from: 7, to: 9 }]), [{ from: 0, to: 6 }]);
  });

  /** Two contigs over one buffer: a (POS 10..15, 6 rows), b (POS 1..4, 4 rows); REF codes = row numbers, one haplotype = 100 + row. */
  function twoContigs(): MatrixLayout {
    const buffer = new SharedArrayBuffer(4 * 10 + 10 + 10);
    new Int32Array(buffer, 0, 10).set([10, 11, 12, 13, 14, 15, 1, 2, 3, 4]);
    new Uint8Array(buffer, 40, 10).set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    new Uint8Array(buffer, 50, 10).set([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    const batch = (contig: number, row: number, rows: number) => ({
      contig,
      rows,
      pos: { buffer: 0, byteOffset: 4 * row },
      ref: { buffer: 0, byteOffset: 40 + row },
      haplotypes: [{ buffer: 0, byteOffset: 50 + row }],
    });
    return { version: LAYOUT_VERSION, buffers: [buffer], alleles: new SharedArrayBuffer(8), samples: ['h'], contigs: ['a', 'b'], batches: [batch(0, 0, 6), batch(1, 6, 4)] };
  }

  it('a slice is a view of the same buffer', () => {
    const layout = twoContigs();
    const slice = sliceBatch(layout.batches[0]!, 2, 5);
    const views = batchViews(layout, slice);
    assert.deepEqual([...views.pos], [12, 13, 14]);
    assert.deepEqual([...views.ref], [2, 3, 4]);
    assert.deepEqual([...views.haplotypes[0]!], [102, 103, 104]);
    assert.equal(views.pos.buffer, layout.buffers[0]);
    assert.equal(sliceBatch(layout.batches[0]!, 0, 6), layout.batches[0]);
  });

  it('selectRegions: cut contigs as consecutive batches, whole contigs untouched, lengths kept', () => {
    const layout = twoContigs();
    const selected = selectRegions('m', layout, regionSet(parseRegions('a:11-12,a:15-99,b')), { gatherBelowRows: 0 });
    assert.deepEqual(
      selected.batches.map((batch) => [...batchViews(selected, batch).pos]),
      [[11, 12], [15], [1, 2, 3, 4]],
    );
    assert.equal(selected.batches[2], layout.batches[1]);
    assert.deepEqual(selected.contigLengths, [15, 0]);
    assert.deepEqual(contigRuns(selected).map((run) => [run.name, run.batches, run.rows]), [
      ['a', [0, 1], 3],
      ['b', [2], 4],
    ]);
    assert.equal(selected.buffers.length, 1);
    assert.equal(selected.buffers[0], layout.buffers[0]);
    // A contig with no row in its regions is left out; one the layout lacks is a usage error.
    assert.deepEqual(selectRegions('m', layout, regionSet(parseRegions('a:1-9,b:2'))).batches.map((batch) => batch.contig), [1]);
    assert.throws(() => selectRegions('m', layout, regionSet(parseRegions('c,a,d:5'))), (error: Error) => error instanceof UsageError && error.message === 'm: no contigs c, d; its contigs are a, b');
  });

  it('short ranges are gathered: one new batch of the selected rows, the others untouched', () => {
    const layout = twoContigs();
    const regions = regionSet(parseRegions('a:11-12,a:15-99,b'));
    // Two ranges of 3 rows in all: shorter on average than 2 rows, gathered; 0: kept as ranges.
    assert.equal(selectRegions('m', layout, regions, { gatherBelowRows: 1 }).batches.length, 3);
    const selected = selectRegions('m', layout, regions, { gatherBelowRows: 2 });
    assert.equal(selected.batches.length, 2);
    const views = batchViews(selected, selected.batches[0]!);
    assert.deepEqual([...views.pos], [11, 12, 15]);
    assert.deepEqual([...views.ref], [1, 2, 5]);
    assert.deepEqual([...views.haplotypes[0]!], [101, 102, 105]);
    assert.equal(selected.buffers.length, 2);
    assert.notEqual(views.pos.buffer, layout.buffers[0]);
    assert.equal(views.ref.byteOffset % 64, 0);
    assert.equal(selected.batches[1], layout.batches[1]);
    assert.deepEqual(selected.contigLengths, [15, 0]);
  });

  it('gathered columns are staggered as a loaded matrix\'s: 128 rows a column take 192 bytes, an odd number of 64-byte units', () => {
    // One contig of 256 rows: POS 1..256, REF row % 4, one haplotype row % 200.
    const buffer = new SharedArrayBuffer(4 * 256 + 256 + 256);
    new Int32Array(buffer, 0, 256).set(Array.from({ length: 256 }, (_, r) => r + 1));
    new Uint8Array(buffer, 1024, 256).set(Array.from({ length: 256 }, (_, r) => r % 4));
    new Uint8Array(buffer, 1280, 256).set(Array.from({ length: 256 }, (_, r) => r % 200));
    const layout: MatrixLayout = { version: LAYOUT_VERSION, buffers: [buffer], alleles: new SharedArrayBuffer(8), samples: ['h'], contigs: ['a'], batches: [{ contig: 0, rows: 256, pos: { buffer: 0, byteOffset: 0 }, ref: { buffer: 0, byteOffset: 1024 }, haplotypes: [{ buffer: 0, byteOffset: 1280 }] }] };
    const gathered = gatherRows(layout, layout.batches[0]!, [{ from: 0, to: 64 }, { from: 128, to: 192 }], 128);
    const batch = gathered.batch(0);
    // POS takes 512 bytes (8 units, even), made 576; REF 128 bytes (2 units), made 192.
    assert.deepEqual([batch.pos.byteOffset, batch.ref.byteOffset, batch.haplotypes[0]!.byteOffset], [0, 576, 768]);
    const views = batchViews({ buffers: [gathered.buffer] }, batch);
    assert.deepEqual([views.pos[0], views.pos[63], views.pos[64], views.pos[127]], [1, 64, 129, 192]);
    assert.deepEqual([views.ref[63], views.ref[64], views.haplotypes[0]![127]], [63 % 4, 128 % 4, 191 % 200]);
  });
});

describe('selectSamples (-s, -S)', () => {
  const pairs = ['10a10b', '3a3b', '8a8b'].map((name) => ({ name }));
  it('included names in the order given; ^ excludes, leaving the others in their order', () => {
    assert.deepEqual(selectSamples(pairs, parseSamples('8a8b,10a10b')).map((pair) => pair.name), ['8a8b', '10a10b']);
    assert.deepEqual(selectSamples(pairs, parseSamples('^3a3b')).map((pair) => pair.name), ['10a10b', '8a8b']);
    assert.deepEqual(selectSamples(pairs, parseSamples('^3a3b,10a10b')).map((pair) => pair.name), ['8a8b']);
    assert.deepEqual(selectSamples(pairs, undefined), pairs);
  });

  it('an unknown, repeated or empty name is a usage error naming it', () => {
    assert.throws(() => selectSamples(pairs, parseSamples('3a3b,9a9b')), (error: Error) => error instanceof UsageError && error.message === '-s: no pair 9a9b; the pairs are 10a10b, 3a3b, 8a8b');
    assert.throws(() => selectSamples(pairs, parseSamples('^9a9b')), /no pair 9a9b/);
    assert.throws(() => selectSamples(pairs, parseSamples('3a3b,3a3b')), /-s: pair 3a3b is named twice/);
    assert.throws(() => parseSamples('3a3b,'), /expected sample names separated by commas, with no empty name/);
  });
});
