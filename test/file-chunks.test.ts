// FileChunks (src/read/gzip-line-blocks.ts): a gzip file's bytes read into two buffers in turn, one
// read ahead. Every byte once, in order, however the size falls against the chunk size; the file
// closed however the reading ends.

import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FileChunks } from '../src/read/gzip-line-blocks.js';

const dir = mkdtempSync(join(tmpdir(), 'genomatrix-file-chunks-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const openFiles = (): number => readdirSync('/proc/self/fd').length;

const bytes = (length: number): Buffer => {
  const out = Buffer.alloc(length);
  for (let k = 0; k < length; k++) out[k] = (k * 31 + (k >> 8)) & 0xff;
  return out;
};

describe('FileChunks', () => {
  for (const [length, chunk] of [[0, 16], [1, 16], [16, 16], [17, 16], [100_000, 4096], [40, 7]] as const) {
    it(`reads ${length} bytes in chunks of ${chunk}`, async () => {
      const file = join(dir, `f${length}-${chunk}`);
      const data = bytes(length);
      writeFileSync(file, data);
      const before = openFiles();
      const chunks = new FileChunks(file, chunk);
      const copies: Buffer[] = [];
      for await (const piece of chunks) {
        assert.ok(piece.length > 0 && piece.length <= chunk, `a chunk of ${piece.length} bytes`);
        copies.push(Buffer.from(piece));
      }
      assert.ok(Buffer.concat(copies).equals(data));
      assert.equal(chunks.bytesRead, length);
      await chunks.close();
      await chunks.close();
      assert.equal(openFiles(), before, 'the file closed');
    });
  }

  it('reuses its two buffers: a chunk is overwritten once the one after next is read', async () => {
    const file = join(dir, 'reuse');
    writeFileSync(file, bytes(64));
    const chunks = new FileChunks(file, 16);
    const seen: Uint8Array[] = [];
    for await (const piece of chunks) seen.push(piece);
    await chunks.close();
    assert.equal(seen.length, 4);
    assert.equal(seen[0]?.buffer, seen[2]?.buffer);
    assert.equal(seen[1]?.buffer, seen[3]?.buffer);
    assert.notEqual(seen[0]?.buffer, seen[1]?.buffer);
  });

  it('closes the file when the reader stops early, with a read under way', async () => {
    const file = join(dir, 'early');
    writeFileSync(file, bytes(10_000));
    const before = openFiles();
    const chunks = new FileChunks(file, 100);
    assert.equal(openFiles(), before + 1);
    for await (const piece of chunks) {
      assert.equal(piece.length, 100);
      break;
    }
    await chunks.close();
    assert.equal(openFiles(), before);
    assert.ok(chunks.bytesRead >= 100 && chunks.bytesRead <= 200, `${chunks.bytesRead} bytes read: the first chunk and the one read ahead`);
  });
});
