// Micro-benchmark: encoding a chunk of rows as haplotype-table lines. genomatrix's byte kernel
// (`runHaplotypeTask` over a loaded matrix's batch: compares one-byte codes, copies allele
// bytes) against the usual way over the same columns: look each code's string up, build an alt
// array and the fields with string operations, join, and encode to bytes.

import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import b from 'benny';
import { resolvePairs } from '../../src/convert/pairs.js';
import { batchViews } from '../../src/layout/matrix-layout.js';
import { openMatrix } from '../../src/matrix.js';
import { haplotypeRowBound, runHaplotypeTask } from '../../src/worker/haplotype-chunk.js';
import type { HaplotypeTask } from '../../src/worker/messages.js';
import { consume, matrixChunk, resultsFolder } from './micro-data.js';

const chunk = matrixChunk();
const file = join(tmpdir(), `genomatrix-micro-${process.pid}.tsv`);
writeFileSync(file, Buffer.concat([Buffer.from(chunk.names.join('\t') + '\n'), chunk.bytes]));
const matrix = await openMatrix(file, { threads: 1 });
rmSync(file);

const { layout } = matrix;
const batch = layout.batches[0];
if (!batch) throw new Error('no batch');
const contig = layout.contigs[batch.contig] ?? '';
const pairs = Int32Array.from(resolvePairs(matrix.samples).flatMap((pair) => pair.columns));
const rowBound = haplotypeRowBound(Buffer.byteLength(contig), Math.max(...matrix.alleles.map((a) => Buffer.byteLength(a))), matrix.samples.length, pairs.length >> 1);
const output = new Uint8Array(new SharedArrayBuffer(rowBound * batch.rows));
const task: HaplotypeTask = { kind: 'haplotype', buffers: layout.buffers, alleles: layout.alleles, batch, contig, from: 0, to: batch.rows, pairs, output };

/** genomatrix: the byte kernel, as a worker runs it. */
function byteKernel(): Uint8Array {
  return output.subarray(0, runHaplotypeTask(task).length);
}

const views = batchViews(layout, batch);
const alleles = matrix.alleles;

/** Baseline: strings per cell, arrays and joins per line. */
function stringBuilding(): Uint8Array {
  const lines: string[] = [];
  const { pos, ref, haplotypes } = views;
  for (let r = 0; r < pos.length; r++) {
    const refAllele = alleles[ref[r] as number] as string;
    const row = haplotypes.map((codes) => alleles[codes[r] as number] as string);
    const alt: string[] = [];
    for (const allele of row) if (allele !== 'N' && allele !== refAllele && !alt.includes(allele)) alt.push(allele);
    if (alt.length === 0) continue;
    const fields = [contig, String(pos[r]), refAllele, alt.join(',')];
    for (let p = 0; p < pairs.length; p += 2) {
      const a = pairs[p] as number;
      const b = pairs[p + 1] as number;
      const x = row[a] === 'N' || row[a] === '-' ? refAllele : row[a];
      const y = row[b] === 'N' || row[b] === '-' ? refAllele : row[b];
      fields.push(contig, `${x}|${y}`);
    }
    lines.push(fields.join('\t'));
  }
  return Buffer.from(lines.join('\n') + '\n');
}

if (Buffer.compare(Buffer.from(byteKernel()), Buffer.from(stringBuilding())) !== 0) throw new Error('kernel and baseline outputs differ');

await b.suite(
  `encode a chunk of haplotype rows (${batch.rows} sites x ${matrix.samples.length} haplotypes, ${pairs.length} pairs)`,
  b.add('baseline: strings, arrays and join', () => consume(stringBuilding().length)),
  b.add('genomatrix: runHaplotypeTask (byte kernel)', () => consume(byteKernel().length)),
  b.cycle(),
  b.complete(),
  b.save({ file: 'micro-haplotype-chunk', folder: resultsFolder, format: 'json', version: null }),
);
await matrix.close();
