// A gzip input (one stream, inflated on the main thread) is parsed into column segments as its
// blocks come. Its trailer's inflated size (ISIZE) sizes the first segment, so that a
// single-member file's rows are placed where they were parsed, in one store, as a plain file's
// are. The trailer is only a hint: a file of several members, whose last member's size is all the
// trailer gives, loads the same matrix through more segments; a trailer that lies is refused by
// the inflate.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { assertOneLine, generate, runCli, scratchDir } from './helpers.js';
import { haplotype, loadMatrix } from '../src/index.js';

describe('gzip input', () => {
  const scratch = scratchDir();
  const plain = join(scratch.dir, 'matrix.tsv');
  const gzip = join(scratch.dir, 'matrix.tsv.gz');
  const members = join(scratch.dir, 'members.tsv.gz');
  let text = '';
  before(() => {
    generate(plain, ['--contigs', '3', '--sites', '3000', '--haplotypes', '6', '--seed', '11']);
    text = readFileSync(plain, 'utf8');
    writeFileSync(gzip, gzipSync(text));
    // Two members: the header and most rows, then the last 100 lines; the trailer holds only the second's size.
    const lines = text.split(/(?<=\n)/);
    const cut = lines.length - 100;
    writeFileSync(members, Buffer.concat([gzipSync(lines.slice(0, cut).join('')), gzipSync(lines.slice(cut).join(''))]));
  });
  after(() => scratch.cleanup());

  /** The haplotype table of `path`, loaded in parse chunks of 4 KiB (many blocks, many segments before). */
  const table = async (path: string): Promise<{ table: string; buffers: number[] }> => {
    const matrix = await loadMatrix(path, { chunkBytes: 4096, threads: 2 });
    try {
      const out = join(scratch.dir, 'out.tsv');
      await haplotype(matrix, { output: out });
      return { table: readFileSync(out, 'utf8'), buffers: matrix.layout.buffers.map((buffer) => buffer.byteLength) };
    } finally {
      await matrix.close();
    }
  };

  it('places a single-member file in one store, as the plain file, the same matrix', async () => {
    const fromPlain = await table(plain);
    const fromGzip = await table(gzip);
    assert.ok(fromPlain.table.split('\n').length > 1000, 'the table has the matrix rows');
    assert.equal(fromGzip.table, fromPlain.table);
    // The store the rows were parsed into, sized by the bound on their rows, as the plain file's.
    // Before the trailer sized the first segment, the rows went to segments of 4 chunks, then as
    // many rows as before, and were copied into a new store of just their rows.
    assert.deepEqual(fromGzip.buffers, fromPlain.buffers);
  });

  it('loads a file of several members, whose trailer undercounts, the same', async () => {
    const fromMembers = await table(members);
    const fromPlain = await table(plain);
    assert.equal(fromMembers.table, fromPlain.table);
    // Copied into a store of just their rows: smaller than the plain file's bound.
    assert.notDeepEqual(fromMembers.buffers, fromPlain.buffers);
  });

  it('refuses a trailer that does not match the data, in one line', () => {
    const bytes = Buffer.from(gzipSync(text));
    bytes.writeUInt32LE(0xfffffff0, bytes.length - 4);
    const bad = scratch.file('bad.tsv.gz', bytes);
    const result = runCli(['haplotype', bad, '-o', join(scratch.dir, 'bad.out'), '-q']);
    assert.equal(result.status, 1);
    assertOneLine(result.stderr);
    assert.match(result.stderr, /bad\.tsv\.gz: corrupt or truncated gzip stream/);
  });
});
