// The driver runs the ranges of small contigs as groups (worker/task-group.ts): the bytes must be
// those of one task per range, plain and BGZF (each range's blocks its own), and the per-range
// results (lines, counts) the same, in far fewer worker tasks. In-process on the library's driver:
// one matrix of many small contigs between two large ones, each conversion run grouped and with
// `ungrouped` set. (The VCF's grouped output is compared with the streamed one, which is never
// grouped, in driver-modes.test.ts.)

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
import type { WorkerTask } from '../src/worker/kernels.js';
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
    matrix = await loadMatrix(path, { threads: 2 });
  });
  after(async () => {
    await matrix?.close();
    scratch.cleanup();
  });

  interface Run<C> {
    conversion: C;
    bytes: Buffer;
    /** Worker tasks (a group counts one). */
    tasks: number;
  }

  /** Runs `make()`'s conversion grouped and ungrouped; returns both outputs and conversions. */
  async function both<T extends WorkerTask, C extends Conversion<T>>(make: () => C, bgzf: boolean): Promise<[Run<C>, Run<C>]> {
    const runs: Run<C>[] = [];
    for (const ungrouped of [false, true]) {
      const conversion = make();
      if (ungrouped) conversion.ungrouped = true;
      const sink = memorySink();
      let tasks = 0;
      await drive(memorySource(matrix.layout, matrix.contigs), conversion, { pool: matrix.pool, sink, bgzf, onTaskDone: () => tasks++ });
      runs.push({ conversion, bytes: sink.bytes(), tasks });
    }
    const [grouped, single] = runs as [Run<C>, Run<C>];
    // 302 contigs, the large ones in ranges of 1,024 rows: one task each ungrouped, a few grouped.
    assert.equal(single.tasks, 300 + 2 * 5);
    assert.ok(grouped.tasks < 20, `${grouped.tasks} tasks grouped`);
    return [grouped, single];
  }

  for (const bgzf of [false, true]) {
    it(`haplotype table${bgzf ? ', BGZF' : ''}: the same bytes and lines as one task per range`, async () => {
      const [grouped, single] = await both(() => haplotypeConversion(() => [...matrix.pairs], { chunkRows: 1024 }), bgzf);
      assert.ok(grouped.conversion.lines > 300, 'lines from the small contigs and the large ones');
      assert.equal(grouped.conversion.lines, single.conversion.lines);
      assert.equal(grouped.conversion.sites, matrix.sites);
      assert.ok(grouped.bytes.equals(single.bytes), 'same bytes');
    });
  }

  it('statistics: the same counts per contig as one task per range', async () => {
    const [grouped, single] = await both(() => statsConversion(() => [...matrix.pairs], { chunkRows: 1024 }), false);
    const a = grouped.conversion.result();
    const b = single.conversion.result();
    assert.equal(a.contigs.length, 302);
    assert.equal(a.genome.sites, matrix.sites);
    assert.deepEqual(a, b);
  });
});
