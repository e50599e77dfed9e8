// The driver runs the ranges of small contigs as groups (worker/task-group.ts), and on a loaded
// matrix as spans made from the layout's numbers (dispatch/conversion.ts `ContigSpan`): the bytes
// must be those of one task per range, plain and BGZF (each range's blocks its own), and the
// per-range results (lines, counts) the same, in far fewer worker tasks. In-process on the
// library's driver: one matrix of many small contigs between two large ones, each conversion run
// as spans, as groups of ranges (without `spans`) and with `ungrouped` set. (The VCF's output is
// also compared with the streamed one, which has neither, in driver-modes.test.ts.)

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadMatrix, type Matrix } from '../src/index.js';
import { memorySource } from '../src/dispatch/contig-source.js';
import type { Conversion } from '../src/dispatch/conversion.js';
import { drive } from '../src/dispatch/drive.js';
import { haplotypeConversion } from '../src/convert/haplotype.js';
import { statsConversion } from '../src/convert/stats-conversion.js';
import { vcfConversion, VcfDeletions } from '../src/convert/vcf.js';
import { vcfAlleleTables } from '../src/convert/vcf-alleles.js';
import type { WorkerTask } from '../src/worker/kernels.js';
import type { TransferredChunk, VcfTask } from '../src/worker/messages.js';
import { restoreTasks, spanRows, tableNumbers, taskGroup } from '../src/worker/task-group.js';
import { spanTable } from '../src/layout/batch-table.js';
import { nativeSpanTasks, type SpanTasksBinding } from '../src/native.js';
import { runVcfJoined, runVcfSpan, runVcfTask } from '../src/worker/vcf-chunk.js';
import type { OutputSink } from '../src/write/output-sink.js';
import { generate, scratchDir } from './helpers.js';

/** A sink that keeps what it is given (a copy: the driver reuses output slots). */
function memorySink(): OutputSink & { bytes(): Buffer } {
  const parts: Buffer[] = [];
  return { write: async (bytes) => void parts.push(Buffer.from(bytes)), commit: async () => {}, abort: async () => {}, bytes: () => Buffer.concat(parts) };
}

describe('task groups of small contigs', () => {
  const scratch = scratchDir();
  let matrix: Matrix;
  /** The small contigs with a `-` cell: the VCF kernel reads those whole, the others' rows as their own records. */
  const smallWithDeletion = new Set<string>();

  before(async () => {
    // 300 contigs of 1 to 9 sites, between a large first and a large last contig (more rows than
    // one group holds), so groups start and end at contig and range boundaries of every kind, and
    // contigs start and end at every byte of a 4-byte word (the haplotype kernel masks by the word).
    const path = join(scratch.dir, 'many.tsv');
    generate(path, ['--contigs', '300', '--sites', '9', '--seed', '11', '--haplotypes', '9']);
    const big = join(scratch.dir, 'big.tsv');
    generate(big, ['--contigs', '1', '--sites', '5000', '--seed', '12', '--haplotypes', '9']);
    const bigRows = readFileSync(big, 'utf8').split('\n').slice(1).filter((line) => line !== '');
    const [header, ...rows] = readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');
    const renamed = (name: string) => bigRows.map((line) => line.replace(/^chr1\t/, `${name}\t`));
    const kept = new Map<string, number>();
    const ragged = rows.filter((line) => {
      const contig = line.slice(0, line.indexOf('\t'));
      const sites = kept.get(contig) ?? 0;
      kept.set(contig, sites + 1);
      return sites < 1 + ((kept.size - 1) % 9);
    });
    writeFileSync(path, [header, ...renamed('first'), ...ragged, ...renamed('last')].join('\n') + '\n');
    for (const line of ragged) if (line.split('\t').slice(3).includes('-')) smallWithDeletion.add(line.slice(0, line.indexOf('\t')));
    matrix = await loadMatrix(path, { threads: 2 });
  });
  after(async () => {
    await matrix?.close();
    scratch.cleanup();
  });

  interface Run<C> {
    conversion: C;
    bytes: Buffer;
    /** Worker tasks (a group or span counts one). */
    tasks: number;
    /** Spans collected, and their contigs. */
    spans: number;
    spanContigs: number;
    /** Sites and contigs the driver reported done (`onRange`). */
    sites: number;
    contigs: number;
  }

  /**
   * Runs `make()`'s conversion as spans (when it takes them), as groups of ranges (its `spans`
   * taken away) and ungrouped; returns the three outputs and conversions.
   */
  async function modes<T extends WorkerTask, C extends Conversion<T>>(make: () => C, bgzf: boolean): Promise<[Run<C>, Run<C>, Run<C>]> {
    const runs: Run<C>[] = [];
    for (const mode of ['spans', 'grouped', 'ungrouped'] as const) {
      const conversion = make();
      if (mode !== 'spans') delete conversion.spans;
      if (mode === 'ungrouped') conversion.ungrouped = true;
      const run: Run<C> = { conversion, bytes: Buffer.alloc(0), tasks: 0, spans: 0, spanContigs: 0, sites: 0, contigs: 0 };
      const collectSpan = conversion.collectSpan?.bind(conversion);
      if (collectSpan) {
        conversion.collectSpan = (results, span) => {
          run.spans++;
          run.spanContigs += span.count;
          // At most one task's rows (1,024 here, a power of two), one batch each (the count: below).
          assert.ok(span.rows <= 1024 && span.count <= 4096, `a span of ${span.count} contigs, ${span.rows} rows`);
          collectSpan(results, span);
        };
      }
      const sink = memorySink();
      const onRange = (sites: number, contigs: number) => {
        run.sites += sites;
        run.contigs += contigs;
      };
      await drive(memorySource(matrix.layout), conversion, { pool: matrix.pool, sink, bgzf, onTaskDone: () => run.tasks++, onRange });
      run.bytes = sink.bytes();
      runs.push(run);
    }
    const [spans, grouped, single] = runs as [Run<C>, Run<C>, Run<C>];
    // 302 contigs, the large ones in ranges of 1,024 rows: one task each ungrouped, a few grouped.
    assert.equal(single.tasks, 300 + 2 * 5);
    assert.ok(grouped.tasks < 20, `${grouped.tasks} tasks grouped`);
    assert.equal(grouped.spans, 0);
    for (const run of runs) assert.deepEqual([run.sites, run.contigs], [matrix.sites, 302], 'progress: every site and contig');
    return [spans, grouped, single];
  }

  /** Asserts that the span run had spans: the 300 small contigs, the large first and last as units. */
  function assertSpans(spans: Run<unknown>): void {
    assert.equal(spans.spanContigs, 300);
    assert.ok(spans.spans >= 2 && spans.tasks < 20, `${spans.spans} spans in ${spans.tasks} tasks`);
  }

  for (const bgzf of [false, true]) {
    it(`haplotype table${bgzf ? ', BGZF' : ''}: the same bytes and lines as one task per range, as spans and as groups`, async () => {
      const [spans, grouped, single] = await modes(() => haplotypeConversion(() => [...matrix.pairs], { chunkRows: 1024 }), bgzf);
      assertSpans(spans);
      assert.ok(single.conversion.lines > 300, 'lines from the small contigs and the large ones');
      for (const run of [spans, grouped]) {
        assert.equal(run.conversion.lines, single.conversion.lines);
        assert.equal(run.conversion.sites, matrix.sites);
        assert.ok(run.bytes.equals(single.bytes), 'same bytes');
      }
    });
  }

  for (const deletions of [VcfDeletions.indel, VcfDeletions.star]) {
    it(`VCF (${deletions}): the same bytes, records and star runs as one task per range, as spans and as groups`, async () => {
      // Small contigs with a deletion and without one: a group's tasks go both ways in the kernel.
      assert.ok(smallWithDeletion.size > 20 && smallWithDeletion.size < 280, `${smallWithDeletion.size} small contigs with a deletion`);
      const header = { contigs: matrix.layout.contigs.map((name) => ({ name, length: 1_000_000_000 })), alleles: matrix.alleles };
      const [spans, grouped, single] = await modes(() => vcfConversion(matrix.source, () => [...matrix.pairs], header, { chunkRows: 1024, deletions }), false);
      assertSpans(spans);
      assert.ok(single.conversion.records > 300);
      const records = single.bytes.toString().split('\n').filter((line) => line !== '' && !line.startsWith('#') && !/^(first|last)\t/.test(line));
      const indels = records.filter((line) => line.split('\t')[3]?.length !== 1 || (line.split('\t')[4] ?? '').split(',').some((alt) => alt.length > 1));
      // Most small contigs' runs follow a POS gap, written in the star form without a FASTA.
      if (deletions === VcfDeletions.indel) assert.ok(indels.length > 0 && single.conversion.starRuns > 20, `${indels.length} indel records of small contigs, ${single.conversion.starRuns} star runs`);
      else assert.equal(indels.length, 0);
      for (const run of [spans, grouped]) {
        assert.deepEqual([run.conversion.records, run.conversion.starRuns, run.conversion.sites], [single.conversion.records, single.conversion.starRuns, matrix.sites]);
        assert.ok(run.bytes.equals(single.bytes), 'same bytes');
      }
    });
  }

  it('VCF kernel: the joined and span forms write the records of each task alone, one task after the other', () => {
    const { layout } = matrix;
    const tables = vcfAlleleTables(matrix.alleles);
    const columns = matrix.samples.map((_, c) => c);
    // A pair and haploid samples.
    const samples = [[0, 1], ...columns.slice(2).map((c) => [c])];
    const chunk = (result: TransferredChunk) => ({ bytes: Buffer.from(result.bytes), lines: result.lines, starRuns: result.starRuns ?? 0 });
    /** Each task's records alone, one after the other (a copy each: the kernel reuses its buffer). */
    const alone = (tasks: VcfTask[]) => {
      const chunks = tasks.map((task) => chunk(runVcfTask(task)));
      return { bytes: Buffer.concat(chunks.map((one) => one.bytes)), lines: chunks.reduce((sum, one) => sum + one.lines, 0), starRuns: chunks.reduce((sum, one) => sum + one.starRuns, 0) };
    };
    for (const deletions of [VcfDeletions.indel, VcfDeletions.star]) {
      // The small contigs, each a whole batch (the large first and last left out).
      const tasks = layout.batches
        .filter((batch) => batch.rows < 10)
        .map((batch): VcfTask => ({ kind: 'vcf', encodes: true, buffers: layout.buffers, alleles: layout.alleles, batch, contig: layout.contigs[batch.contig] as string, from: 0, to: batch.rows, columns, samples, deletions, altOf: tables.altOf, altTexts: tables.altTexts, refTexts: tables.refTexts }));
      assert.equal(tasks.length, 300);
      const expected = alone(tasks);
      assert.ok(expected.lines > 300);
      if (deletions === VcfDeletions.indel) assert.ok(expected.starRuns > 20, `${expected.starRuns} star runs`);
      const span = spanRows(structuredClone(taskGroup(tasks, 'joined')));
      assert.ok(span, 'span rows of the small contigs');
      assert.deepEqual(chunk(runVcfSpan(span as Parameters<typeof runVcfSpan>[0])), expected, 'span form');
      const restored = restoreTasks(structuredClone(taskGroup(tasks, 'joined')));
      assert.deepEqual(chunk(runVcfJoined(restored.tasks as VcfTask[], restored.shared)), expected, 'joined form');
      // Out of order: no span rows, and the joined form writes each task's records in turn.
      const shuffled = [tasks[7] as VcfTask, ...tasks.slice(0, 7), ...tasks.slice(8)];
      assert.equal(spanRows(structuredClone(taskGroup(shuffled, 'joined'))), undefined);
      const again = restoreTasks(structuredClone(taskGroup(shuffled, 'joined')));
      assert.deepEqual(chunk(runVcfJoined(again.tasks as VcfTask[], again.shared)), alone(shuffled), 'joined form, out of order');
    }
  });

  it(`a span table's task numbers: as worked out from the table, by the own loop${nativeSpanTasks ? ' and by the binding' : ''}`, () => {
    const table = spanTable(matrix.layout);
    const ways: (SpanTasksBinding | null)[] = [null, ...(nativeSpanTasks ? [nativeSpanTasks] : [])];
    const count = table.rows.length;
    assert.equal(count, 302);
    for (const first of [0, 1, 150, count - 1]) {
      const expected: Float64Array = new Float64Array(4 * (count - first));
      let rows = 0;
      for (let b = first; b < count; b++) {
        const c = table.contig[b] as number;
        const from = (table.row[b] as number) - (table.row[first] as number);
        expected.set([from, table.rows[b] as number, table.nameStart[c] as number, table.nameLength[c] as number], 4 * (b - first));
        rows = Math.max(rows, from + (table.rows[b] as number));
      }
      for (const native of ways) {
        const out: Float64Array = new Float64Array(4 * (count - first));
        assert.equal(tableNumbers(table, first, out, native), rows, `from batch ${first}`);
        assert.deepEqual(out, expected, `from batch ${first}`);
      }
    }
    // A batch before the first one's rows: not a span of this table's order.
    const row = Float64Array.from(table.row);
    row[2] = (row[1] as number) - 1;
    for (const native of ways) assert.equal(tableNumbers({ ...table, row }, 1, new Float64Array(8), native), -1);
  });

  it('statistics: the same counts per contig as one task per range (kept counts: no spans)', async () => {
    const [spans, grouped, single] = await modes(() => statsConversion(() => [...matrix.pairs], { chunkRows: 1024 }), false);
    assert.equal(spans.spans, 0);
    const a = spans.conversion.result();
    assert.equal(a.contigs.length, 302);
    assert.equal(a.genome.sites, matrix.sites);
    assert.deepEqual(a, grouped.conversion.result());
    assert.deepEqual(a, single.conversion.result());
  });

  it('statistics table written by the workers: the same bytes as one task per range, as joined spans and joined groups', async () => {
    const [spans, grouped, single] = await modes(() => statsConversion(() => [...matrix.pairs], { chunkRows: 1024, format: 'tsv', dictionaryComplete: true, linesInWorkers: true, keep: false }), false);
    assertSpans(spans);
    const sitesLines = single.bytes.toString().split('\n').filter((line) => line.split('\t')[1] === 'sites');
    assert.equal(sitesLines.length, 303, "a 'sites' line per contig and the genome's");
    assert.ok(spans.bytes.equals(single.bytes), 'spans: same bytes');
    assert.ok(grouped.bytes.equals(single.bytes), 'groups: same bytes');
  });
});

describe('how many small contigs a span holds', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);

  it('as groups of ranges: 512 contigs once it has 8,192 rows, more (up to 4,096) while they are fewer; the haplotype table: up to its rows; the same bytes as one task per range', async () => {
    // 1,500 contigs of one site, then 1,200 of 20 sites (9 haplotypes: a span's rows fit its slot
    // many times over).
    const one = join(scratch.dir, 'one.tsv');
    const twenty = join(scratch.dir, 'twenty.tsv');
    generate(one, ['--contigs', '1500', '--sites', '1', '--seed', '41', '--haplotypes', '9']);
    generate(twenty, ['--contigs', '1200', '--sites', '20', '--seed', '42', '--haplotypes', '9']);
    const lines = (path: string, prefix: string) =>
      readFileSync(path, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .map((line, i) => (i === 0 ? line : `${prefix}${line}`));
    const [header, ...ones] = lines(one, 'a');
    const [, ...twenties] = lines(twenty, 'b');
    const path = join(scratch.dir, 'spans.tsv');
    writeFileSync(path, [header, ...ones, ...twenties].join('\n') + '\n');
    const matrix = await loadMatrix(path, { threads: 2 });
    try {
      assert.equal(matrix.layout.contigs.length, 2700);
      const spansOf = async <T extends WorkerTask>(make: () => Conversion<T>): Promise<[number, number][]> => {
        const outputs: Buffer[] = [];
        const spans: [number, number][] = [];
        for (const ungrouped of [false, true]) {
          const conversion = make();
          if (ungrouped) conversion.ungrouped = true;
          const collectSpan = conversion.collectSpan?.bind(conversion);
          conversion.collectSpan = (results, span) => {
            spans.push([span.count, span.rows]);
            collectSpan?.(results, span);
          };
          const sink = memorySink();
          await drive(memorySource(matrix.layout), conversion, { pool: matrix.pool, sink });
          outputs.push(sink.bytes());
        }
        assert.ok((outputs[0] as Buffer).equals(outputs[1] as Buffer), 'same bytes as one task per contig');
        return spans;
      };
      // The VCF's spans are full as groups of ranges are: 1,500 + 335 contigs (8,200 rows, the
      // first past 8,191 with more than 512 contigs), then 512 (10,240 rows), then the 353 left.
      const vcfHeader = { contigs: matrix.layout.contigs.map((name) => ({ name, length: 1_000_000_000 })), alleles: matrix.alleles };
      assert.deepEqual(await spansOf(() => vcfConversion(matrix.source, () => [...matrix.pairs], vcfHeader, {})), [
        [1835, 8200],
        [512, 10240],
        [353, 7060],
      ]);
      // The haplotype table's fill up to its rows (8,192 here), whatever their contigs: 1,500 + 334
      // contigs (8,180 rows), 409 (8,180), 409 and the 48 left.
      assert.deepEqual(await spansOf(() => haplotypeConversion(() => [...matrix.pairs], { chunkRows: 8192 })), [
        [1834, 8180],
        [409, 8180],
        [409, 8180],
        [48, 960],
      ]);
    } finally {
      await matrix.close();
    }
  });
});
