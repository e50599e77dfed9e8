// A packed file opens in other Arrow implementations with the right types and the matrix's
// values: apache-arrow (JS) and polars (Rust, through nodejs-polars). Its layout (64-byte aligned
// messages and buffers, small contigs in one record batch, a large one in its own, dictionaries)
// is checked with apache-arrow's own metadata decoders, independently of genomatrix's reader.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as arrow from 'apache-arrow';
import { Footer } from 'apache-arrow/ipc/metadata/file';
import { Message } from 'apache-arrow/ipc/metadata/message';
import { loadMatrix, pack, type Matrix } from 'genomatrix';
import { generate, scratchDir } from './helpers.js';
import { polars, type Polars } from './polars.js';


describe('a packed file in other Arrow readers', () => {
  const scratch = scratchDir();
  const text = join(scratch.dir, 'gen.tsv');
  const packed = join(scratch.dir, 'gen.arrow');
  const together = join(scratch.dir, 'together.arrow');
  let matrix: Matrix;
  let bytes: Buffer;
  let togetherBytes: Buffer;
  /** The matrix's rows, decoded from its own columns: [CHROM, POS, REF, ...haplotypes]. */
  let rows: (string | number)[][];
  before(async () => {
    generate(text, ['--contigs', '3', '--sites', '700', '--haplotypes', '5', '--seed', '5', '--split-contigs']);
    matrix = await loadMatrix(text, { threads: 2 });
    // Batches of at most 300 rows' columns (13 bytes a row): each contig a batch of its own; then
    // (below) the default, where the three contigs share one.
    await pack(matrix, { output: packed, pairs: '1a:1b', batchBytes: 300 * 13 });
    bytes = readFileSync(packed);
    await pack(matrix, { output: together });
    togetherBytes = readFileSync(together);
    const alleles = matrix.alleles;
    rows = matrix.contigs.flatMap((contig) => {
      const views = matrix.contigViews(contig.name);
      return Array.from(views.pos, (pos, r) => [contig.name, pos, alleles[views.ref[r] as number] as string, ...views.haplotypes.map((codes) => alleles[codes[r] as number] as string)]);
    });
  });
  after(async () => {
    await matrix.close();
    scratch.cleanup();
  });

  it('apache-arrow tableFromIPC: dictionary columns, a record batch per large contig, the same values', () => {
    const table = arrow.tableFromIPC(bytes);
    assert.deepEqual(table.schema.fields.map((field) => `${field.name}:${field.type}`), [
      'CHROM:Dictionary<Int32, Utf8>',
      'POS:Int32',
      ...['REF', ...matrix.samples].map((name) => `${name}:Dictionary<Uint8, Utf8>`),
    ]);
    assert.deepEqual(table.batches.map((batch) => batch.numRows), matrix.contigs.map((contig) => contig.sites));
    const names = table.schema.fields.map((field) => field.name);
    assert.deepEqual(table.toArray().map((row) => names.map((name) => row[name])), rows);
    // The dictionary order is the matrix's: codes in the file are the codes in memory.
    const ref = table.getChild('REF')?.data[0];
    assert.deepEqual(ref?.dictionary?.toArray(), matrix.alleles);
    assert.deepEqual(ref?.values, matrix.contigViews(0).ref);
    assert.equal(table.schema.metadata.get('genomatrix.pairs'), '1a:1b');
    assert.deepEqual(JSON.parse(table.schema.metadata.get('genomatrix.samples') ?? ''), matrix.samples);
    assert.equal(table.schema.metadata.get('genomatrix.layout_version'), '2');
  });

  it('apache-arrow tableFromIPC: small contigs in one record batch, its CHROM each row\'s contig, its count in its metadata', async () => {
    const file = togetherBytes;
    const table = arrow.tableFromIPC(file);
    assert.deepEqual(table.batches.map((batch) => batch.numRows), [matrix.sites]);
    const names = table.schema.fields.map((field) => field.name);
    assert.deepEqual(table.toArray().map((row) => names.map((name) => row[name])), rows);
    const footerLength = file.readInt32LE(file.length - 10);
    const [block] = [...Footer.decode(file.subarray(file.length - 10 - footerLength, file.length - 10)).recordBatches()];
    const message = Message.decode(file.subarray((block as { offset: number }).offset + 8, (block as { offset: number }).offset + (block as { metaDataLength: number }).metaDataLength));
    assert.equal(message.metadata.get('genomatrix.contigs'), '0000000003');
  });

  it('polars readIPC: Categorical allele and contig columns, Int32 POS, the same values', { skip: polars ? false : 'nodejs-polars is not installed' }, () => {
    const pl = polars as Polars;
    // readIPC treats a string without an .ipc extension as file content: give it the bytes.
    for (const file of [bytes, togetherBytes]) {
      const frame = pl.readIPC(file);
      assert.deepEqual(frame.columns, ['CHROM', 'POS', 'REF', ...matrix.samples]);
      assert.deepEqual(frame.dtypes.map(String), ['Categorical', 'Int32', ...['REF', ...matrix.samples].map(() => 'Categorical')].map((type) => `DataType(${type})`));
      assert.equal(frame.height, matrix.sites);
      const columns = frame.columns.map((name) => frame.getColumn(name).toArray() as (string | number)[]);
      assert.deepEqual(rows.map((_, r) => columns.map((column) => column[r])), rows);
    }
  });

  it('messages and body buffers start at multiples of 64 bytes (checked with apache-arrow decoders)', () => {
    for (const [file, batches] of [[bytes, matrix.contigs.length], [togetherBytes, 1]] as const) {
      const footerLength = file.readInt32LE(file.length - 10);
      const footer = Footer.decode(file.subarray(file.length - 10 - footerLength, file.length - 10));
      assert.equal(footer.numRecordBatches, batches);
      assert.equal(footer.numDictionaries, 2);
      for (const block of [...footer.dictionaryBatches(), ...footer.recordBatches()]) {
        assert.equal(block.offset % 64, 0);
        assert.equal(block.metaDataLength % 64, 0);
        assert.equal(file.readInt32LE(block.offset), -1, 'continuation marker');
        const message = Message.decode(file.subarray(block.offset + 8, block.offset + block.metaDataLength));
        const header = message.isDictionaryBatch() ? message.header().data : message.isRecordBatch() ? message.header() : undefined;
        assert.ok(header, 'a dictionary or record batch');
        for (const buffer of header.buffers) assert.equal(buffer.offset % 64, 0, `buffer at ${buffer.offset}`);
      }
    }
  });
});
