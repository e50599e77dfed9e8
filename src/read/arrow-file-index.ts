// The table of contents of an Arrow IPC file, read from its footer and message headers without
// touching the record batch bodies: the schema, and where each dictionary and record batch body
// and each of its buffers lie in the file.
//
// File format (https://arrow.apache.org/docs/format/Columnar.html#ipc-file-format):
//   "ARROW1" + 2 padding bytes, the stream (schema message, dictionary batches, record batches,
//   end-of-stream marker), the Footer flatbuffer, its int32 length, "ARROW1".
// A message is 0xFFFFFFFF, an int32 metadata length, the Message flatbuffer (padded), then its body.

import { readSync } from 'node:fs';
import { InputError } from '../errors.js';
import { FlatBufferError, FlatTable } from './flatbuffer-table.js';

/** Type ids of the Arrow `Type` union that genomatrix reads. */
export const ArrowTypeId = { int: 2, utf8: 5 } as const;
const MessageHeader = { schema: 1, dictionaryBatch: 2, recordBatch: 3 } as const;
const MAGIC = 'ARROW1';

/** A field's type, as far as genomatrix needs to know it. */
export interface ArrowFieldType {
  /** Id in the Arrow `Type` union (2 Int, 5 Utf8, ...). */
  typeId: number;
  /** For Int: bits and signedness. */
  bitWidth?: number;
  signed?: boolean;
}

export interface ArrowField {
  name: string;
  nullable: boolean;
  /** The value type (for a dictionary-encoded field, the dictionary's type). */
  type: ArrowFieldType;
  dictionary?: { id: number; indexType: ArrowFieldType };
}

/** A record batch: where its body lies in the file, and its buffers relative to the body. */
export interface RecordBatchEntry {
  rows: number;
  /** Absolute file offset of the body. */
  bodyStart: number;
  bodyLength: number;
  nodes: { length: number; nullCount: number }[];
  buffers: { offset: number; length: number }[];
  /** The message's custom metadata (genomatrix keeps its buffer checksums there). */
  metadata: Map<string, string>;
  /**
   * Set on one contig's rows of a record batch of several (read/packed-checks.ts `splitByContig`):
   * the whole record batch, its index in the file, and the contig's first row in it.
   */
  within?: { batch: RecordBatchEntry; index: number; row: number };
}

export interface DictionaryBatchEntry {
  id: number;
  isDelta: boolean;
  data: RecordBatchEntry;
}

export interface ArrowFileIndex {
  fields: ArrowField[];
  metadata: Map<string, string>;
  dictionaries: DictionaryBatchEntry[];
  recordBatches: RecordBatchEntry[];
}

/** Reads the footer and every message header of the Arrow IPC file open as `fd`. */
export function readArrowFileIndex(path: string, fd: number, size: number): ArrowFileIndex {
  const fail = (problem: string): InputError => new InputError({ file: path }, problem);
  try {
    if (size < 18) throw fail(`truncated Arrow IPC file (${size} bytes)`);
    const tail = readBytes(fd, size - 10, 10);
    if (Buffer.from(tail.buffer, tail.byteOffset + 4, 6).toString('latin1') !== MAGIC) {
      throw fail('truncated Arrow IPC file: it does not end with the ARROW1 magic (an unfinished write, or a stream rather than a file?)');
    }
    const footerLength = new DataView(tail.buffer, tail.byteOffset, 4).getInt32(0, true);
    if (footerLength <= 0 || footerLength > size - 18) throw fail(`corrupt Arrow IPC footer length ${footerLength}`);
    const footer = FlatTable.root(readBytes(fd, size - 10 - footerLength, footerLength));
    const schema = footer.table(1);
    if (!schema) throw fail('the Arrow IPC footer has no schema');
    const blocks = (slot: number) => footer.structs(slot, 24, [0, 8, 16], [8, 4, 8]).map(([offset = 0, metaDataLength = 0, bodyLength = 0]) => ({ offset, metaDataLength, bodyLength }));
    const readBlock = (block: { offset: number; metaDataLength: number; bodyLength: number }, expected: number) => {
      if (block.offset < 8 || block.metaDataLength < 8 || block.offset + block.metaDataLength + block.bodyLength > size) {
        throw fail(`an Arrow IPC block (offset ${block.offset}) lies outside the file`);
      }
      const message = readMessage(readBytes(fd, block.offset, block.metaDataLength));
      if (message.uint8(1) !== expected) throw fail(`Arrow IPC message at offset ${block.offset} is not the expected kind`);
      const header = message.table(2);
      if (!header) throw fail(`Arrow IPC message at offset ${block.offset} has no header`);
      return { header, bodyStart: block.offset + block.metaDataLength, bodyLength: block.bodyLength, metadata: keyValues(message.tables(4)) };
    };
    const dictionaries = blocks(2).map((block) => {
      const { header, bodyStart, bodyLength, metadata } = readBlock(block, MessageHeader.dictionaryBatch);
      const data = header.table(1);
      if (!data) throw fail(`Arrow IPC dictionary batch at offset ${block.offset} has no data`);
      return { id: header.int64(0), isDelta: header.bool(2), data: recordBatchEntry(data, bodyStart, bodyLength, metadata, fail) };
    });
    const recordBatches = blocks(3).map((block) => {
      const { header, bodyStart, bodyLength, metadata } = readBlock(block, MessageHeader.recordBatch);
      return recordBatchEntry(header, bodyStart, bodyLength, metadata, fail);
    });
    const fields = schema.tables(1).map(readField);
    const metadata = keyValues(schema.tables(2));
    const streamStart = checkStreamSchema(fd, size, fields, metadata, fail);
    checkContiguous([...blocks(2), ...blocks(3)], streamStart, size - 10 - footerLength, fail);
    return { fields, metadata, dictionaries, recordBatches };
  } catch (error) {
    if (error instanceof FlatBufferError) throw fail(`corrupt Arrow IPC metadata: ${error.message}`);
    throw error;
  }
}

/**
 * The footer's blocks must tile the stream: each message starts where the one before it ends, and
 * the last is followed only by the end-of-stream marker and the footer. A block lost from the
 * footer (a damaged count) leaves a gap, and a gap is an error.
 */
function checkContiguous(blocks: { offset: number; metaDataLength: number; bodyLength: number }[], streamStart: number, footerStart: number, fail: (problem: string) => InputError): void {
  const sorted = [...blocks].sort((a, b) => a.offset - b.offset);
  if (sorted[0] && sorted[0].offset !== streamStart) throw fail(`the footer's first batch is at offset ${sorted[0].offset}, not right after the schema (${streamStart}): the file is damaged`);
  for (let k = 1; k < sorted.length; k++) {
    const before = sorted[k - 1] as (typeof sorted)[number];
    const block = sorted[k] as (typeof sorted)[number];
    if (before.offset + before.metaDataLength + before.bodyLength !== block.offset) throw fail(`the footer's list of batches has a gap or an overlap at offset ${block.offset}: the file is damaged`);
  }
  const last = sorted[sorted.length - 1];
  const end = last ? last.offset + last.metaDataLength + last.bodyLength : footerStart;
  // Only the end-of-stream marker (8 bytes, or 4 in the format before 0.15) may lie between.
  if (footerStart - end > 8 || footerStart < end) throw fail(`the footer's list of batches ends at offset ${end}, not where the footer begins (${footerStart}): a batch is missing from it, or the file is damaged`);
}

/**
 * The schema is written twice, as the stream's first message and in the footer: they must agree
 * (a damaged byte in either changes a name, a type or the metadata). Returns where the first
 * message after the schema begins.
 */
function checkStreamSchema(fd: number, size: number, fields: ArrowField[], metadata: Map<string, string>, fail: (problem: string) => InputError): number {
  // The stream starts at byte 8; genomatrix pads the magic to 64 bytes with zeros.
  const head = readBytes(fd, 8, 64);
  let at = 0;
  while (at + 8 <= head.length && head.readInt32LE(at) === 0 && at < 56) at += 8;
  const framed = at + 8 <= head.length && head.readInt32LE(at) === -1;
  const length = at + 8 <= head.length ? head.readInt32LE(framed ? at + 4 : at) : 0;
  const start = 8 + at + (framed ? 8 : 4);
  if (length <= 0 || start + length > size) throw fail('the schema message at the start of the file is damaged');
  const message = FlatTable.root(readBytes(fd, start, length));
  // Some writers (apache-arrow's JS file writer) keep the schema in the footer only.
  if (message.uint8(1) !== MessageHeader.schema) return 8 + at;
  const schema = message.table(2);
  if (!schema) throw fail('the schema message at the start of the file is damaged');
  const same = JSON.stringify(schema.tables(1).map(readField)) === JSON.stringify(fields) && JSON.stringify([...keyValues(schema.tables(2))]) === JSON.stringify([...metadata]);
  if (!same) throw fail('the schema at the start of the file differs from the one in its footer: the file is damaged');
  return start + length; // where the next message begins
}

function recordBatchEntry(table: FlatTable, bodyStart: number, bodyLength: number, metadata: Map<string, string>, fail: (problem: string) => InputError): RecordBatchEntry {
  if (table.table(3)) throw fail('compressed Arrow IPC record batches are not supported: write the file without compression');
  const nodes = table.structs(1, 16, [0, 8], [8, 8]).map(([length = 0, nullCount = 0]) => ({ length, nullCount }));
  const buffers = table.structs(2, 16, [0, 8], [8, 8]).map(([offset = 0, length = 0]) => ({ offset, length }));
  for (const buffer of buffers) {
    if (buffer.offset < 0 || buffer.length < 0 || buffer.offset + buffer.length > bodyLength) {
      throw fail(`an Arrow IPC buffer (offset ${buffer.offset}, ${buffer.length} bytes) lies outside its record batch body`);
    }
  }
  return { rows: table.int64(0), bodyStart, bodyLength, nodes, buffers, metadata };
}

function readMessage(bytes: Uint8Array): FlatTable {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Since format 0.15 a message starts with 0xFFFFFFFF; older files start with the length.
  const start = view.getInt32(0, true) === -1 ? 8 : 4;
  return FlatTable.root(bytes.subarray(start));
}

function readField(table: FlatTable): ArrowField {
  const field: ArrowField = { name: table.string(0) ?? '', nullable: table.bool(1), type: readType(table.uint8(2), table.table(3)) };
  const dictionary = table.table(4);
  if (dictionary) {
    const indexType = dictionary.table(1);
    field.dictionary = { id: dictionary.int64(0), indexType: indexType ? readType(ArrowTypeId.int, indexType) : { typeId: ArrowTypeId.int, bitWidth: 32, signed: true } };
  }
  return field;
}

function readType(typeId: number, table: FlatTable | undefined): ArrowFieldType {
  if (typeId === ArrowTypeId.int && table) return { typeId, bitWidth: table.int32(0), signed: table.bool(1) };
  return { typeId };
}

function keyValues(tables: FlatTable[]): Map<string, string> {
  return new Map(tables.map((kv) => [kv.string(0) ?? '', kv.string(1) ?? '']));
}

/** Reads `length` bytes at `position` into a fresh buffer (shorter at the end of the file). */
export function readBytes(fd: number, position: number, length: number): Buffer {
  const bytes = Buffer.from(new ArrayBuffer(length));
  let done = 0;
  while (done < length) {
    const n = readSync(fd, bytes, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return bytes.subarray(0, done);
}
