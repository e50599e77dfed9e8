// Writes an Arrow IPC file (the random-access "file" format) message by message, straight from
// column buffers, so a matrix is never copied to be written. The metadata flatbuffers are encoded
// by apache-arrow (a record batch's from a template of its encoding: write/record-batch-message.ts);
// the framing is ours, because apache-arrow's writer aligns buffers to 8 bytes and genomatrix
// wants 64 (native-layout/README.md, "The file layout"):
//
//   - every message starts at a multiple of 64 bytes, its metadata padded so its body does too;
//   - every body buffer starts at a multiple of 64 bytes of the body; its recorded length is its
//     exact byte length, the padding after it zeros;
//   - every record and dictionary batch message carries the checksums of its buffers in its custom
//     metadata (layout/buffer-checksum.ts).
//
// Nothing in the output depends on time or the machine, so the same input gives the same bytes.

import { MessageHeader, MetadataVersion, Message, type Schema } from 'apache-arrow';
import { FileBlock, Footer } from 'apache-arrow/ipc/metadata/file';
import { BufferRegion, DictionaryBatch, FieldNode, RecordBatch } from 'apache-arrow/ipc/metadata/message';
import { CHECKSUM_KEY, checksumOf, checksumValue, formatChecksums } from '../layout/buffer-checksum.js';
import { MetadataKey } from '../layout/matrix-origin.js';
import type { OutputSink } from './output-sink.js';
import { alignMessage, CONTIG_COUNT_PLACEHOLDER, framedBytes, MESSAGE_ALIGNMENT, writeRecordBatchMessage, type RecordBatchTemplate } from './record-batch-message.js';

const MAGIC = new TextEncoder().encode('ARROW1');
const ZEROS = new Uint8Array(MESSAGE_ALIGNMENT);
/** Largest single write (one write call takes at most 2 GiB). */
const WRITE_PIECE_BYTES = 1 << 30;
/** Pieces smaller than this are joined with their neighbours into one write. */
const SMALL_PIECE_BYTES = 64 << 10;
/** Most bytes of small pieces joined into one write. */
const QUEUE_BYTES = 4 << 20;

/** A body buffer: bytes, or a length and the pieces that make it up (for buffers built on the fly). */
export type BodyBuffer = Uint8Array | { byteLength: number; pieces(): Iterable<Uint8Array> };

/** An Arrow IPC file being written to a sink (a temporary file renamed by `commit`). */
export class ArrowFileWriter {
  private position = 0;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private readonly dictionaryBlocks: FileBlock[] = [];
  private readonly recordBatchBlocks: FileBlock[] = [];
  private readonly templates = new Map<string, RecordBatchTemplate>();

  /** Starts the file: magic, then the schema message. */
  static async start(sink: OutputSink, schema: Schema): Promise<ArrowFileWriter> {
    const writer = new ArrowFileWriter(sink, schema);
    writer.write(MAGIC);
    writer.pad();
    writer.writeMessage(Message.from(schema));
    await writer.flush();
    return writer;
  }

  private constructor(
    private readonly sink: OutputSink,
    private readonly schema: Schema,
  ) {}

  /** Bytes written so far. */
  get bytesWritten(): number {
    return this.position;
  }

  /** A dictionary batch holding `values` as a Utf8 array, with the checksums of its buffers. */
  async writeDictionary(id: number, values: readonly string[]): Promise<void> {
    // The values encoded at once: a buffer per value was 20,000 and more small buffers for the
    // contig names of a scaffold-level assembly. Offsets count characters when every value is
    // ASCII (as many bytes as characters in all), else each value's bytes.
    const data: Uint8Array = Buffer.from(values.join(''), 'utf8');
    const offsets = new Int32Array(values.length + 1);
    const ascii = data.length === values.reduce((sum, value) => sum + value.length, 0);
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as string;
      offsets[i + 1] = (offsets[i] as number) + (ascii ? value.length : Buffer.byteLength(value, 'utf8'));
    }
    const body = [new Uint8Array(0), new Uint8Array(offsets.buffer), data];
    const { regions, length } = bodyRegions(body);
    const header = new DictionaryBatch(new RecordBatch(values.length, [new FieldNode(values.length, 0)], regions, null), id, false);
    this.dictionaryBlocks.push(this.writeMessage(new Message(length, MetadataVersion.V5, MessageHeader.DictionaryBatch, header, checksumMetadata(body))));
    this.writeBody(body);
    await this.flush();
  }

  /**
   * A record batch of `rows` rows: one values buffer per field, no nulls (empty validity buffers),
   * with the checksums of its buffers and `metadata` in its message's custom metadata; `contigs`
   * goes in place of a `CONTIG_COUNT_PLACEHOLDER` value (write/record-batch-message.ts).
   */
  async writeRecordBatch(rows: number, columns: readonly BodyBuffer[], metadata: ReadonlyMap<string, string> = new Map(), contigs = 1): Promise<void> {
    const body = columns.flatMap((values) => [new Uint8Array(0), values]);
    const { regions, length } = bodyRegions(body);
    const template = this.templateOf(columns.length, metadata);
    const message = new Uint8Array(framedBytes(template));
    const checksums = body.map((buffer) => checksumValue(buffer instanceof Uint8Array ? buffer : buffer.pieces()));
    writeRecordBatchMessage(message, 0, template, rows, regions.map((region) => region.offset), regions.map((region) => region.length), length, checksums, contigs);
    this.recordBatchBlocks.push(new FileBlock(message.length, length, this.position));
    this.write(message);
    this.writeBody(body);
    await this.flush();
  }

  /**
   * Records a record batch that went to the sink without this writer (a worker encoded it, from
   * `recordBatchTemplate`): its framed message of `metadataBytes` and its body of `bodyLength`,
   * at the current position.
   */
  recordBatchWritten(metadataBytes: number, bodyLength: number): void {
    this.recordBatchBlocks.push(new FileBlock(metadataBytes, bodyLength, this.position));
    this.position += metadataBytes + bodyLength;
  }

  /** The template of the record batch messages of `fields` fields and `metadata`'s keys besides the checksums, made once. */
  templateOf(fields: number, metadata: ReadonlyMap<string, string> = new Map()): RecordBatchTemplate {
    const key = `${fields}\t${[...metadata].map(([k, v]) => `${k}=${v}`).join('\t')}`;
    let template = this.templates.get(key);
    if (!template) {
      template = recordBatchTemplate(fields, metadata);
      this.templates.set(key, template);
    }
    return template;
  }

  /** Ends the stream and writes the footer; the caller commits the sink. */
  async finish(): Promise<void> {
    this.write(Int32Array.of(-1, 0)); // end-of-stream marker, for readers of the stream inside
    const footer = Footer.encode(new Footer(this.schema, MetadataVersion.V5, this.recordBatchBlocks, this.dictionaryBlocks));
    this.write(footer);
    this.write(Int32Array.of(footer.byteLength));
    this.write(MAGIC);
    await this.flush();
  }

  /** Writes 0xFFFFFFFF, the metadata length, the metadata padded to 64; returns its file block. */
  private writeMessage(message: Message): FileBlock {
    const metadata = Message.encode(message);
    const framed = alignMessage(8 + metadata.byteLength);
    const block = new FileBlock(framed, message.bodyLength, this.position);
    this.write(Int32Array.of(-1, framed - 8));
    this.write(metadata);
    this.pad();
    return block;
  }

  private writeBody(buffers: readonly BodyBuffer[]): void {
    for (const buffer of buffers) {
      if (buffer instanceof Uint8Array) this.write(buffer);
      else for (const piece of buffer.pieces()) this.write(piece);
      this.pad();
    }
  }

  /**
   * Queues `bytes` until `flush`, which every public method awaits before it returns (so the caller
   * may reuse them as soon as it resolves, and they are not copied until then). One awaited sink
   * write per small piece cost a promise round trip each: an Arrow file of 20,000 one-contig batches
   * is over a million pieces.
   */
  private write(bytes: ArrayBufferView): void {
    const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.byteLength === 0) return;
    this.pending.push(view);
    this.pendingBytes += view.byteLength;
    this.position += view.byteLength;
  }

  /**
   * Writes the queue: runs of small pieces joined into one write, large pieces as they are. The
   * writes of one flush end before the next flush starts: its joined runs reuse one buffer
   * (`joinBuffer`). A new buffer per run was new memory to fault in for every run: a file of 20,000
   * small contigs is some hundred runs of 4 MiB.
   */
  private flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  private flushing: Promise<void> = Promise.resolve();
  private joinBuffer = new Uint8Array(0);

  private async writePending(): Promise<void> {
    if (this.pending.length === 0) return;
    const pieces = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    let run: Uint8Array[] = [];
    let runBytes = 0;
    const writeRun = async (): Promise<void> => {
      if (run.length === 0) return;
      if (run.length > 1 && this.joinBuffer.length < runBytes) this.joinBuffer = new Uint8Array(Math.max(runBytes, QUEUE_BYTES + SMALL_PIECE_BYTES));
      const joined = run.length === 1 ? (run[0] as Uint8Array) : this.joinBuffer.subarray(0, runBytes);
      if (run.length > 1) run.reduce((at, piece) => (joined.set(piece, at), at + piece.byteLength), 0);
      run = [];
      runBytes = 0;
      await this.sink.write(joined);
    };
    for (const piece of pieces) {
      if (piece.byteLength < SMALL_PIECE_BYTES) {
        run.push(piece);
        runBytes += piece.byteLength;
        if (runBytes >= QUEUE_BYTES) await writeRun();
        continue;
      }
      await writeRun();
      for (let at = 0; at < piece.byteLength; at += WRITE_PIECE_BYTES) await this.sink.write(piece.subarray(at, at + WRITE_PIECE_BYTES));
    }
    await writeRun();
  }

  /** Zeros up to the next multiple of 64. */
  private pad(): void {
    this.write(ZEROS.subarray(0, alignMessage(this.position) - this.position));
  }
}

/** The custom metadata holding the checksum of each body buffer. */
function checksumMetadata(body: readonly BodyBuffer[]): Map<string, string> {
  const checksums = body.map((buffer) => checksumOf(buffer instanceof Uint8Array ? buffer : buffer.pieces()));
  return new Map([[CHECKSUM_KEY, formatChecksums(checksums)]]);
}

/** Body offsets: each buffer at a multiple of 64, recorded with its exact length. */
function bodyRegions(buffers: readonly BodyBuffer[]): { regions: BufferRegion[]; length: number } {
  let at = 0;
  const regions = buffers.map((buffer) => {
    const region = new BufferRegion(at, buffer.byteLength);
    at = alignMessage(at + buffer.byteLength);
    return region;
  });
  return { regions, length: at };
}

/**
 * The template of the record batch messages of `fields` fields whose custom metadata is the
 * checksums then `metadata` (write/record-batch-message.ts): apache-arrow encodes a message whose
 * numbers and checksum text are placeholders, and the template records where they are. The
 * flatbuffer's shape depends only on the number of fields and the metadata (every number a
 * message holds is an int64 in a fixed place, none of them 0, which the builder would leave out;
 * the checksum text has a fixed length), so every record batch of that shape fills it in.
 */
export function recordBatchTemplate(fields: number, metadata: ReadonlyMap<string, string> = new Map()): RecordBatchTemplate {
  // Placeholders: distinct int64 values no other part of the message holds.
  const base = 0x5eed_0000_00;
  const rows = base;
  const nodes = Array.from({ length: fields }, (_, f) => new FieldNode(base + 1 + f, 0));
  const regions = Array.from({ length: 2 * fields }, (_, k) => new BufferRegion(base + 1 + fields + 2 * k, base + 2 + fields + 2 * k));
  const bodyLength = base + 1 + 5 * fields;
  const text = Array.from({ length: 2 * fields }, () => 'z'.repeat(16)).join(',');
  const custom = new Map([[CHECKSUM_KEY, text], ...metadata]);
  const header = new RecordBatch(rows, nodes, regions, null);
  const encoded = Message.encode(new Message(bodyLength, MetadataVersion.V5, MessageHeader.RecordBatch, header, custom));
  const bytes = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const find = (value: number): number => {
    const pattern = Buffer.alloc(8);
    pattern.writeBigInt64LE(BigInt(value));
    const at = bytes.indexOf(pattern);
    if (at < 0 || bytes.indexOf(pattern, at + 1) >= 0) throw new Error(`record batch template: placeholder ${value} is not found once`);
    return at;
  };
  const template: RecordBatchTemplate = {
    metadata: new Uint8Array(bytes),
    fields,
    lengthAt: find(rows),
    nodesAt: find(base + 1),
    buffersAt: find(base + 1 + fields),
    bodyLengthAt: find(bodyLength),
    checksumsAt: bytes.indexOf(text),
  };
  if (metadata.get(MetadataKey.contigs) === CONTIG_COUNT_PLACEHOLDER) template.contigsAt = bytes.indexOf(CONTIG_COUNT_PLACEHOLDER);
  // The vectors of structs are in order: each placeholder where the template says.
  for (let f = 0; f < fields; f++) if (find(base + 1 + f) !== template.nodesAt + 16 * f) throw new Error('record batch template: field nodes out of place');
  for (let k = 0; k < 4 * fields; k++) if (find(base + 1 + fields + k) !== template.buffersAt + 8 * k) throw new Error('record batch template: buffers out of place');
  return template;
}
