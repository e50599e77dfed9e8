// A packed file is never read as if it were whole: every byte of a small packed file flipped in
// turn, through the library's loader, either fails with a located error or loads exactly the
// matrix of the undamaged file (both contigs in one record batch, as `pack` writes small contigs,
// and a record batch each); a file another Arrow writer made with several contigs in one record
// batch is split correctly (or refused when a contig comes back); verify checks all.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as arrow from 'apache-arrow';
import { InputError } from '../src/errors.js';
import { AlleleDictionary } from '../src/layout/allele-dictionary.js';
import { batchViews } from '../src/layout/matrix-layout.js';
import { detectInput } from '../src/read/input-format.js';
import { loadArrow } from '../src/read/load-arrow.js';
import { loadMatrix, pack } from 'genomatrix';
import { assertOneLine, runCli, scratchDir } from './helpers.js';
import { convert } from './in-process.js';

// Two contigs, two haplotypes: a small file (every byte is flipped, so keep it small).
const MATRIX = 'CHROM\tPOS\tREF\tsa\tsb\nc1\t3\tA\tA\tC\nc1\t9\tG\tT\tG\nc1\t12\tC\tC\tC\nc2\t4\tT\t-\tN\n';

/** Everything a conversion can see of a packed file: origin, names, and every cell by its string. */
async function content(path: string): Promise<string> {
  const { layout, origin } = await loadArrow(detectInput(path));
  const alleles = AlleleDictionary.attach(layout.alleles).toStrings();
  const lines = [JSON.stringify(origin), layout.samples.join(',')];
  for (const batch of layout.batches) {
    const views = batchViews(layout, batch); // checks the batch's checksums on this first use
    for (let r = 0; r < batch.rows; r++) {
      lines.push([layout.contigs[batch.contig], views.pos[r], alleles[views.ref[r] as number], ...views.haplotypes.map((h) => alleles[h[r] as number])].join('\t'));
    }
  }
  return lines.join('\n');
}

/** MATRIX packed once, by the CLI; each suite below writes its damaged copies in a scratch directory of its own. */
const source = scratchDir();
after(source.cleanup);
const text = source.file('m.tsv', MATRIX);
const packed = join(source.dir, 'm.arrow');
assert.equal(runCli(['pack', text, '-o', packed]).status, 0);
// The same matrix, a record batch per contig (batches of at most 1 byte of columns).
const perContig = join(source.dir, 'per-contig.arrow');
{
  const matrix = await loadMatrix(text, { threads: 1 });
  await pack(matrix, { output: perContig, batchBytes: 1 });
  await matrix.close();
}
/** The two files, what each holds, and how a damaged column of contig c1 is named. */
const FILES = [
  { file: packed, kind: 'both contigs in one record batch', batches: 1, c1: 'record batch 0 \\(contigs c1 to c2\\)', rows: 4 },
  { file: perContig, kind: 'a record batch per contig', batches: 2, c1: 'contig c1', rows: 3 },
];

describe('packed files are checked', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);

  for (const { file, kind } of FILES) {
    it(`every byte flipped: a located error, or exactly the undamaged matrix (${kind})`, async () => {
      const good = await content(file);
      assert.equal(good.split('\n').length, 2 + 4);
      const bytes = readFileSync(file);
      const damaged = join(scratch.dir, 'damaged.arrow');
      let failed = 0;
      for (let at = 0; at < bytes.length; at++) {
        const copy = Buffer.from(bytes);
        copy[at] = (copy[at] as number) ^ 0x01;
        writeFileSync(damaged, copy);
        let seen: string | undefined;
        try {
          seen = await content(damaged);
        } catch (error) {
          assert.ok(error instanceof InputError, `byte ${at}: ${(error as Error).stack}`);
          assert.match(error.message, /damaged\.arrow: /);
          failed++;
          continue;
        }
        assert.equal(seen, good, `byte ${at} flipped: loaded as if whole, but different`);
      }
      // Most bytes matter: the bytes that may change silently are padding, validity and unread CHROM rows.
      assert.ok(failed > bytes.length / 3, `${failed} of ${bytes.length} flips failed`);
    });
  }

  it('verify: one OK line for a whole file; the error, exit 1, for a damaged one (CHROM included)', () => {
    for (const { file, batches } of FILES) {
      const ok = runCli(['verify', file]);
      assert.equal(ok.status, 0, ok.stderr);
      assert.ok(ok.stdout.endsWith(`${file}: OK (2 contigs, 4 sites; ${10 * batches} buffer checksums and every value checked)\n`), ok.stdout);
    }
    // The middle CHROM row of a batch of one contig is not read by a load (the batch's first and
    // last rows are), but verify reads it; a batch of several has all of its CHROM checked on open.
    const errors = [/chrom\.arrow: contig c1, column CHROM \(rows 1 to 3\): the checksum differs from the one stored/, /chrom\.arrow: record batch 0, column 1 \(CHROM\): the checksum differs from the one stored/];
    for (const file of [perContig, packed]) {
      const bytes = Buffer.from(readFileSync(file));
      const chromOfFirstBatch = middleChrom(bytes);
      bytes[chromOfFirstBatch] = (bytes[chromOfFirstBatch] as number) ^ 0x01;
      const damaged = join(scratch.dir, 'chrom.arrow');
      writeFileSync(damaged, bytes);
      const run = runCli(['verify', damaged]);
      assert.equal(run.status, 1, run.stdout);
      assertOneLine(run.stderr);
      assert.match(run.stderr, errors.shift() as RegExp);
    }
  });

  it('a foreign file with both contigs in one record batch is split by contig', async () => {
    const table = arrow.tableFromIPC(readFileSync(perContig));
    const single = join(scratch.dir, 'one-batch.arrow');
    writeFileSync(single, arrow.tableToIPC(oneBatch(table), 'file'));
    const expected = await convert('haplotype', text);
    const run = runCli(['haplotype', single]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, expected);
    assert.match(runCli(['verify', single]).stdout, /OK \(2 contigs, 4 sites; no checksums/);
    // A contig that comes back after another is refused, naming it and the row.
    const again = join(scratch.dir, 'again.arrow');
    writeFileSync(again, arrow.tableToIPC(oneBatch(table, [0, 1, 0]), 'file'));
    const refused = runCli(['haplotype', again]);
    assert.equal(refused.status, 1, refused.stdout);
    assertOneLine(refused.stderr);
    assert.match(refused.stderr, /again\.arrow: contig c1 comes back at record batch 0, row 5, after other rows/);
  });
});

describe('a damaged column is refused by every command, in memory and streamed', () => {
  const scratch = scratchDir();
  after(scratch.cleanup);
  for (const [f, { file, kind, c1, rows }] of FILES.entries()) {
    // POS 9 of contig c1 becomes 8: a value a conversion would print as it is, were it not checked.
    const bytes = readFileSync(file);
    const pos9 = middleChrom(bytes) + 64;
    assert.equal(bytes.readInt32LE(pos9), 9);
    bytes[pos9] = 8;
    const damaged = join(scratch.dir, `damaged${f}.arrow`);
    writeFileSync(damaged, bytes);
    const commands = [['haplotype'], ['vcf'], ['stats'], ['pack', '-o', join(scratch.dir, 'again.arrow')]];
    for (const command of commands) {
      for (const mode of ['--no-low-memory', '--low-memory']) {
        it(`${command[0]} ${mode}, ${kind}: exit 1, one line naming the file, contig and column`, () => {
          const run = runCli([command[0] as string, damaged, ...command.slice(1), mode, '--quiet']);
          assert.equal(run.status, 1, run.stderr);
          assertOneLine(run.stderr);
          assert.match(run.stderr, new RegExp(`damaged${f}\\.arrow: ${c1}, column 2 \\(POS\\), rows 1 to ${rows}: the checksum differs`));
          assert.equal(run.stdout.includes('\t8\t'), false, 'no row of the damaged column is written');
        });
      }
    }
  }
});

/** File offset of the CHROM code of contig c1's middle row: its POS buffer (3, 9, 12) follows CHROM by 64 bytes. */
function middleChrom(bytes: Buffer): number {
  for (let at = 64; at + 12 <= bytes.length; at += 64) {
    if (bytes.readInt32LE(at) === 3 && bytes.readInt32LE(at + 4) === 9 && bytes.readInt32LE(at + 8) === 12) return at - 64 + 4;
  }
  throw new Error('the POS buffer of contig c1 was not found');
}

/** The table's rows in one record batch (batches in `order`), as a writer that ignores contigs would make. */
function oneBatch(table: arrow.Table, order?: number[]): arrow.Table {
  const batches = (order ?? table.batches.map((_, b) => b)).map((b) => table.batches[b] as arrow.RecordBatch);
  const rows = batches.reduce((sum, batch) => sum + batch.numRows, 0);
  const children = table.schema.fields.map((field, f) => {
    const parts = batches.map((batch) => batch.data.children[f] as arrow.Data);
    const Values = (parts[0]?.values.constructor ?? Int32Array) as Int32ArrayConstructor | Uint8ArrayConstructor;
    const values = new Values(rows);
    let at = 0;
    for (const part of parts) {
      values.set(part.values.subarray(part.offset, part.offset + part.length) as never, at);
      at += part.length;
    }
    return arrow.makeData({ type: field.type, length: rows, nullCount: 0, data: values, dictionary: parts[0]?.dictionary } as never);
  });
  const data = arrow.makeData({ type: new arrow.Struct(table.schema.fields), length: rows, nullCount: 0, children });
  return new arrow.Table(table.schema, [new arrow.RecordBatch(table.schema, data)]);
}
