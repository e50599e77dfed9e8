// A record batch of a packed file is written two ways: by the main thread (a large contig, the
// message encoded from a template) and by a worker (a small contig, worker/pack-batch.ts). Both
// must be exactly what apache-arrow's own encoder writes, and the same as each other.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Message, MessageHeader, MetadataVersion } from 'apache-arrow';
import { BufferRegion, FieldNode, RecordBatch } from 'apache-arrow/ipc/metadata/message';
import { AlleleDictionary } from '../src/layout/allele-dictionary.js';
import { CHECKSUM_KEY } from '../src/layout/buffer-checksum.js';
import type { BatchLayout } from '../src/layout/matrix-layout.js';
import { MetadataKey } from '../src/layout/matrix-origin.js';
import { runPackTask } from '../src/worker/pack-batch.js';
import { ArrowFileWriter, recordBatchTemplate } from '../src/write/arrow-file-writer.js';
import type { OutputSink } from '../src/write/output-sink.js';
import { framedBytes, writeRecordBatchMessage } from '../src/write/record-batch-message.js';
import { matrixSchema } from '../src/table/arrow-table.js';

/** apache-arrow's message, framed as a packed file frames it: 0xFFFFFFFF, length, flatbuffer, zeros to a multiple of 64. */
function arrowMessage(rows: number, offsets: number[], lengths: number[], bodyLength: number, checksums: bigint[], metadata: [string, string][]): Uint8Array {
  const fields = offsets.length / 2;
  const text = checksums.map((value) => value.toString(16).padStart(16, '0')).join(',');
  const header = new RecordBatch(rows, Array.from({ length: fields }, () => new FieldNode(rows, 0)), offsets.map((offset, k) => new BufferRegion(offset, lengths[k] as number)), null);
  const encoded = Message.encode(new Message(bodyLength, MetadataVersion.V5, MessageHeader.RecordBatch, header, new Map([[CHECKSUM_KEY, text], ...metadata])));
  const framed = new Uint8Array(Math.ceil((8 + encoded.length) / 64) * 64);
  new DataView(framed.buffer).setInt32(0, -1, true);
  new DataView(framed.buffer).setInt32(4, framed.length - 8, true);
  framed.set(encoded, 8);
  return framed;
}

/** A sink that keeps what is written. */
function memorySink(): OutputSink & { bytes(): Uint8Array } {
  const pieces: Uint8Array[] = [];
  return {
    write: async (bytes) => void pieces.push(bytes.slice()),
    commit: async () => undefined,
    abort: async () => undefined,
    bytes: () => Buffer.concat(pieces),
  };
}

describe('record batch messages from a template', () => {
  const unsorted: [string, string][] = [[MetadataKey.unsorted, 'true']];
  for (const fields of [3, 4, 34]) {
    for (const metadata of [[], unsorted]) {
      for (const rows of [1, 20, 70_000, 5_000_000_000]) {
        it(`${fields} fields, ${rows} rows${metadata.length ? ', unsorted' : ''}: apache-arrow's bytes`, () => {
          // Offsets and lengths as a body lays them out; checksums of every size, zero included.
          const offsets: number[] = [];
          const lengths: number[] = [];
          let at = 0;
          for (let f = 0; f < fields; f++) {
            const length = (f < 2 ? 4 : 1) * rows;
            offsets.push(at, at);
            lengths.push(0, length);
            at = Math.ceil((at + length) / 64) * 64;
          }
          const checksums = offsets.map((_, k) => (k === 0 ? 0n : (0x9e3779b97f4a7c15n * BigInt(k + rows)) & 0xffffffffffffffffn));
          const template = recordBatchTemplate(fields, new Map(metadata));
          const out = new Uint8Array(framedBytes(template) + 8).fill(0xaa);
          writeRecordBatchMessage(out, 8, template, rows, offsets, lengths, at, checksums);
          assert.deepEqual(out.subarray(8), arrowMessage(rows, offsets, lengths, at, checksums, metadata));
          assert.deepEqual(out.subarray(0, 8), new Uint8Array(8).fill(0xaa), 'bytes before the message untouched');
        });
      }
    }
  }
});

describe('a small contig encoded by a worker', () => {
  for (const sorted of [true, false]) {
    it(`is the record batch the main thread writes (${sorted ? 'sorted' : 'unsorted'} POS)`, async () => {
      // One contig of 5 rows, 2 haplotypes, in one shared buffer: POS, then REF, h0, h1.
      const rows = 5;
      const buffer = new SharedArrayBuffer(64 * 4);
      const pos = new Int32Array(buffer, 0, rows);
      pos.set(sorted ? [3, 7, 7, 10, 12] : [3, 7, 5, 10, 12]);
      new Uint8Array(buffer, 64, rows).set([0, 1, 2, 3, 0]);
      new Uint8Array(buffer, 128, rows).set([0, 0, 1, 4, 5]);
      new Uint8Array(buffer, 192, rows).set([2, 2, 2, 2, 1]);
      const batch: BatchLayout = { contig: 3, rows, pos: { buffer: 0, byteOffset: 0 }, ref: { buffer: 0, byteOffset: 64 }, haplotypes: [{ buffer: 0, byteOffset: 128 }, { buffer: 0, byteOffset: 192 }] };
      const code = 3;

      const sink = memorySink();
      const writer = await ArrowFileWriter.start(sink, matrixSchema(['h0', 'h1'], new Map()));
      const start = writer.bytesWritten;
      const bytes = (array: Int32Array | Uint8Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
      const columns = [bytes(new Int32Array(rows).fill(code)), bytes(pos), ...[64, 128, 192].map((at) => new Uint8Array(buffer, at, rows))];
      await writer.writeRecordBatch(rows, columns, sorted ? new Map() : new Map([[MetadataKey.unsorted, 'true']]));
      const fromMain = sink.bytes().subarray(start);

      const templates = [writer.templateOf(5), writer.templateOf(5, new Map([[MetadataKey.unsorted, 'true']]))] as const;
      const alleles = AlleleDictionary.create(['A', 'C', 'G', 'T', 'N', '-']).buffer;
      const fromWorker = runPackTask({ kind: 'pack', buffers: [buffer], alleles, batch, contig: 'c', from: 0, to: rows, code, templates }).bytes;
      assert.deepEqual(Buffer.from(fromWorker), Buffer.from(fromMain));
    });
  }
});
