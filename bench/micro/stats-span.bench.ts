// Micro-benchmark: the statistics of a span of small contigs and their lines of the table, as a
// worker makes them for `stats` from the span's group message (`spanRows` and `runStatsSpan`: the
// native binding's `statsLines`; without the binding, `runStatsJoined` over the tasks, the kernel's
// own loops), against the usual way over the same columns: a histogram
// of codes per haplotype, the alt rule's distinct alleles per row, and each line a template string
// with its rate from `toFixed(6)`, encoded to bytes. Both write the same table.

import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import b from 'benny';
import { conversionPairs } from '../../src/convert/pairs.js';
import { statsNames } from '../../src/convert/stats-table.js';
import { AlleleDictionary } from '../../src/layout/allele-dictionary.js';
import { batchAt, batchTable } from '../../src/layout/batch-table.js';
import { batchViews } from '../../src/layout/matrix-layout.js';
import { openMatrix } from '../../src/matrix.js';
import { nativeEncode } from '../../src/native.js';
import type { StatsTask } from '../../src/worker/messages.js';
import type { SpanRows } from '../../src/worker/shared-views.js';
import { runStatsJoined, runStatsSpan } from '../../src/worker/stats-chunk.js';
import { spanRows, taskGroup } from '../../src/worker/task-group.js';
import { consume, matrixChunk, resultsFolder } from './micro-data.js';

/** A span as the driver makes one of contigs of 20 sites: 512 of them. */
const CONTIGS = 512;
const SITES = 20;
const chunk = matrixChunk(SITES, 7, CONTIGS);
const file = join(tmpdir(), `genomatrix-micro-${process.pid}.tsv`);
writeFileSync(file, Buffer.concat([Buffer.from(chunk.names.join('\t') + '\n'), chunk.bytes]));
const matrix = await openMatrix(file, { threads: 1 });
rmSync(file);

const { layout } = matrix;
const table = batchTable(layout);
const strings = AlleleDictionary.shared(layout.alleles).toStrings();
const pairs = conversionPairs(matrix, undefined, undefined);
const names = statsNames(strings, matrix.samples, pairs.map((pair) => pair.name));
// Every contig's rows in one column set: views over all of them, each task at its own first row.
const first = batchAt(table, 0);
const views = batchViews(layout, { ...first, rows: CONTIGS * SITES });
const output = new Uint8Array(new SharedArrayBuffer(8 << 20));
// One pairs array for all, as the driver's tasks share it: a group message sends what they share once.
const columns = pairs.map((pair) => pair.columns);
const tasks: StatsTask[] = Array.from({ length: CONTIGS }, (_, k) => {
  const batch = batchAt(table, k);
  return { kind: 'stats', buffers: layout.buffers, alleles: layout.alleles, batch, contig: layout.contigs[batch.contig] as string, from: 0, to: batch.rows, pairs: columns, encodes: true, table: names, whole: true, output };
});
const shared = tasks.map((_, k) => ({ views, row: (table.row[k] as number) - (table.row[0] as number) }));

/** The span's group message, as the driver posts it. */
const group = taskGroup(tasks, 'joined');

if (!spanRows(group)) throw new Error('the span message does not make span rows');

/** genomatrix: a span as a worker runs it (worker/entry.ts `runJoined`): its span form, else its joined form. */
function spanKernel(): Uint8Array {
  const rows = spanRows(group) as SpanRows<StatsTask>;
  const result = runStatsSpan(rows) ?? runStatsJoined(tasks, shared);
  return 'bytes' in result ? result.bytes : output.subarray(0, result.length);
}

/** Baseline: per contig, a histogram and the alt rule over strings, a template string per line. */
function templateLines(): Uint8Array {
  const out: string[] = [];
  const missing = strings.indexOf('N');
  const deletion = strings.indexOf('-');
  for (let k = 0; k < CONTIGS; k++) {
    const row = shared[k]?.row as number;
    const contig = tasks[k]?.contig as string;
    const cells = views.haplotypes.map((column) => {
      const counts = new Array<number>(strings.length).fill(0);
      for (let r = row; r < row + SITES; r++) counts[column[r] as number] = (counts[column[r] as number] as number) + 1;
      return counts;
    });
    let variable = 0;
    let multi = 0;
    for (let r = row; r < row + SITES; r++) {
      const alts = new Set<number>();
      for (const column of views.haplotypes) if (column[r] !== missing && column[r] !== views.ref[r]) alts.add(column[r] as number);
      if (alts.size > 0) variable++;
      if (alts.size > 1) multi++;
    }
    const line = (statistic: string, item: string, count: number, total: number): void => {
      out.push(`${contig}\t${statistic}\t${item}\t${count}\t${total}\t${total === 0 ? 'NA' : (count / total).toFixed(6)}`);
    };
    out.push(`${contig}\tsites\t.\t${SITES}\t.\t.`);
    line('variable_sites', '.', variable, SITES);
    line('dropped_sites', '.', SITES - variable, SITES);
    line('multiallelic_sites', '.', multi, SITES);
    matrix.samples.forEach((sample, h) => line('missing', sample, cells[h]?.[missing] ?? 0, SITES));
    matrix.samples.forEach((sample, h) => line('deletions', sample, cells[h]?.[deletion] ?? 0, SITES));
    for (const { allele, code } of names.alleles) line('allele_cells', allele, cells.reduce((sum, counts) => sum + (counts[code] ?? 0), 0), SITES * cells.length);
    const called = pairs.map(({ columns: [a, b] }) => {
      let both = 0;
      let het = 0;
      for (let r = row; r < row + SITES; r++) {
        const x = views.haplotypes[a]?.[r] as number;
        const y = views.haplotypes[b]?.[r] as number;
        if (x === missing || x === deletion || y === missing || y === deletion) continue;
        both++;
        if (x !== y) het++;
      }
      return [both, het] as const;
    });
    pairs.forEach((pair, p) => line('called_sites', pair.name, called[p]?.[0] ?? 0, SITES));
    pairs.forEach((pair, p) => line('het_sites', pair.name, called[p]?.[1] ?? 0, called[p]?.[0] ?? 0));
  }
  return Buffer.from(out.join('\n') + '\n');
}

if (Buffer.compare(Buffer.from(spanKernel()), Buffer.from(templateLines())) !== 0) throw new Error('kernel and baseline outputs differ');

await b.suite(
  `statistics of a span of ${CONTIGS} contigs of ${SITES} sites x ${matrix.samples.length} haplotypes, their lines of the table (${nativeEncode ? 'the native binding' : 'no native binding: the kernel\'s own loops'})`,
  b.add('baseline: histograms, sets and template strings', () => consume(templateLines().length)),
  b.add('genomatrix: a span as a worker runs it', () => consume(spanKernel().length)),
  b.cycle(),
  b.complete(),
  b.save({ file: 'micro-stats-span', folder: resultsFolder, format: 'json', version: null }),
);
await matrix.close();
