// `pack` puts small contigs together: the driver's span or group of them is one record batch (a
// span of a loaded text matrix written by the main thread, a group of a packed file's checked
// batches a joined task, worker/pack-batch.ts), a large contig a batch of its own. On a matrix of 700 small contigs
// of two sizes (5 rows: packed back to back in memory; 70 rows: each at a 64-row boundary, with a
// gap before it) between two large ones: every contig whole in one record batch, the count of a
// batch of several in its metadata, the same matrix back (genomatrix and apache-arrow), the same
// file again when the packed file is packed (its batches checked, no shared views), and a file
// far smaller than one batch per contig.

import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as arrow from 'apache-arrow';
import { Footer } from 'apache-arrow/ipc/metadata/file';
import { Message } from 'apache-arrow/ipc/metadata/message';
import { loadMatrix, pack } from 'genomatrix';
import { generate, runCli, scratchDir } from './helpers.js';
import { convert } from './in-process.js';

/** Column bytes of a record batch of small contigs: 20,000 (1,176 rows of 9 haplotypes, 17 bytes a row). */
const BATCH_BYTES = 20_000;
const SMALL_ROWS = Math.floor(BATCH_BYTES / 17);

/** The custom metadata of each record batch of a packed file, read with apache-arrow's decoders. */
function batchMetadata(bytes: Buffer): Map<string, string>[] {
  const footerLength = bytes.readInt32LE(bytes.length - 10);
  const footer = Footer.decode(bytes.subarray(bytes.length - 10 - footerLength, bytes.length - 10));
  return [...footer.recordBatches()].map((block) => Message.decode(bytes.subarray(block.offset + 8, block.offset + block.metaDataLength)).metadata);
}

/** Lines by their contig (first field), in order of first appearance. */
function groupByContig(lines: readonly string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const line of lines) {
    const contig = line.slice(0, line.indexOf('\t'));
    (groups.get(contig) ?? groups.set(contig, []).get(contig) as string[]).push(line);
  }
  return groups;
}

describe('pack: small contigs share record batches', () => {
  const scratch = scratchDir();
  const text = join(scratch.dir, 'many.tsv');
  const packed = join(scratch.dir, 'many.arrow');
  /** Contig names and sites, in order. */
  let contigs: [string, number][] = [];

  before(async () => {
    const rowsOf = (path: string, args: string[]): string[] => {
      generate(path, [...args, '--haplotypes', '9']);
      return readFileSync(path, 'utf8').split('\n').filter((line) => line !== '');
    };
    const [header, ...five] = rowsOf(join(scratch.dir, 'five.tsv'), ['--contigs', '600', '--sites', '5', '--seed', '31']);
    const [, ...seventy] = rowsOf(join(scratch.dir, 'seventy.tsv'), ['--contigs', '100', '--sites', '70', '--seed', '32']);
    const [, ...big] = rowsOf(join(scratch.dir, 'big.tsv'), ['--contigs', '1', '--sites', '3000', '--seed', '33']);
    const renamed = (rows: string[], name: (contig: string) => string) => rows.map((line) => line.replace(/^([^\t]+)\t/, (_, contig: string) => `${name(contig)}\t`));
    // Small contigs of both sizes interleaved: every sixth a 70-row one.
    const byContig = (rows: string[]) => [...groupByContig(rows).values()];
    const fives = byContig(renamed(five, (c) => `s${c}`));
    const seventies = byContig(renamed(seventy, (c) => `l${c}`));
    const small = fives.flatMap((rows, k) => (k % 6 === 5 && seventies.length > 0 ? [seventies.shift() as string[], rows] : [rows]));
    const lines = [header as string, ...renamed(big, () => 'first'), ...small.flat(), ...seventies.flat(), ...renamed(big, () => 'last')];
    writeFileSync(text, lines.join('\n') + '\n');
    contigs = [...groupByContig(lines.slice(1)).entries()].map(([name, rows]) => [name, rows.length]);
    const matrix = await loadMatrix(text, { threads: 2 });
    try {
      await pack(matrix, { output: packed, batchBytes: BATCH_BYTES });
    } finally {
      await matrix.close();
    }
  });
  after(scratch.cleanup);

  it('each contig whole in one record batch: large ones alone, small ones together (as the driver groups them), their count in the batch metadata', () => {
    const bytes = readFileSync(packed);
    const table = arrow.tableFromIPC(bytes);
    const metadata = batchMetadata(bytes);
    assert.equal(metadata.length, table.batches.length);
    const seen: [string, number][] = [];
    table.batches.forEach((batch, b) => {
      const chrom = batch.getChild('CHROM') as arrow.Vector;
      const names: string[] = [];
      for (let r = 0; r < batch.numRows; r++) {
        const name = chrom.get(r) as string;
        if (names[names.length - 1] !== name) {
          names.push(name);
          seen.push([name, 0]);
        }
        (seen[seen.length - 1] as [string, number])[1]++;
      }
      const count = metadata[b]?.get('genomatrix.contigs');
      if (names.length === 1) {
        assert.equal(count, undefined, `batch ${b}`);
      } else {
        assert.equal(count, String(names.length).padStart(10, '0'), `batch ${b}`);
        // The driver's group (dispatch/drive.ts `groupFull`): 512 contigs once it holds 8,192 rows, at most 4,096.
        const beforeLast = batch.numRows - (seen[seen.length - 1] as [string, number])[1];
        assert.ok(names.length <= 4096 && (names.length <= 512 || beforeLast < 8192) && batch.numRows <= SMALL_ROWS, `batch ${b}: ${names.length} contigs, ${batch.numRows} rows`);
      }
    });
    // Every contig once, in order, whole: no contig is split over two batches.
    assert.deepEqual(seen, contigs);
    assert.equal(table.batches[0]?.numRows, 3000, 'the first large contig alone');
    assert.equal(table.batches[table.batches.length - 1]?.numRows, 3000, 'the last large contig alone');
    assert.ok(table.batches.length < 20, `${table.batches.length} record batches for ${contigs.length} contigs`);
  });

  it('loads as the matrix it was packed from: the same outputs, in memory and streamed', async () => {
    const fromText = await convert('haplotype', text);
    assert.equal(await convert('haplotype', packed), fromText);
    assert.equal(await convert('haplotype', packed, { lowMemory: true }), fromText);
    assert.equal(await convert('vcf', packed), await convert('vcf', text));
    const verified = runCli(['verify', packed]);
    assert.equal(verified.status, 0, verified.stderr);
    assert.match(verified.stdout, new RegExp(`OK \\(${contigs.length} contigs, ${contigs.reduce((sum, [, sites]) => sum + sites, 0)} sites`));
  });

  it('packing the packed file gives the same bytes (its batches checked on use, one view per contig)', async () => {
    const again = join(scratch.dir, 'again.arrow');
    const matrix = await loadMatrix(packed, { threads: 2 });
    try {
      await pack(matrix, { output: again, batchBytes: BATCH_BYTES });
    } finally {
      await matrix.close();
    }
    assert.ok(readFileSync(again).equals(readFileSync(packed)));
  });

  it('costs the bytes of the columns, not a batch per contig', async () => {
    const perContig = join(scratch.dir, 'per-contig.arrow');
    const matrix = await loadMatrix(text, { threads: 2 });
    try {
      await pack(matrix, { output: perContig, batchBytes: 1 });
    } finally {
      await matrix.close();
    }
    assert.equal(await convert('haplotype', perContig), await convert('haplotype', text));
    assert.equal(arrow.tableFromIPC(readFileSync(perContig)).batches.length, contigs.length);
    // 9 haplotypes: 17 bytes a row of columns; a batch each adds a message and 64-byte padding per column.
    const sites = contigs.reduce((sum, [, rows]) => sum + rows, 0);
    assert.ok(statSync(packed).size < 1.5 * 17 * sites, `${statSync(packed).size} bytes for ${sites} sites`);
    assert.ok(statSync(perContig).size > 3 * statSync(packed).size);
  });
});
