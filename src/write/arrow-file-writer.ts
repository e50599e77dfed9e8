// Writes an Arrow IPC file (the random-access "file" format) message by message, straight from
// column buffers, so a matrix is never copied to be written. The metadata flatbuffers are encoded
// by apache-arrow; the framing is ours, because apache-arrow's writer aligns buffers to 8 bytes
// and genomatrix wants 64 (native-layout/README.md, "The file layout"):
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
import { CHECKSUM_KEY, checksumOf, formatChecksums } from '../layout/buffer-checksum.js';
import type { OutputSink } from './output-sink.js';

/** Alignment of messages and body buffers in the files genomatrix writes. */
export const FILE_ALIGNMENT = 64;
const MAGIC = new TextEncoder().encode('ARROW1');
const ZEROS = new Uint8Array(FILE_ALIGNMENT);
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
    const encoded = values.map((value) => Buffer.from(value, 'utf8'));
    const offsets = new Int32Array(values.length + 1);
    encoded.forEach((bytes, i) => (offsets[i + 1] = (offsets[i] ?? 0) + bytes.length));
    const data = new Uint8Array(offsets[values.length] ?? 0);
    encoded.reduce((at, bytes) => (data.set(bytes, at), at + bytes.length), 0);
    const body = [new Uint8Array(0), new Uint8Array(offsets.buffer), data];
    const { regions, length } = bodyRegions(body);
    const header = new DictionaryBatch(new RecordBatch(values.length, [new FieldNode(values.length, 0)], regions, null), id, false);
    this.dictionaryBlocks.push(this.writeMessage(new Message(length, MetadataVersion.V5, MessageHeader.DictionaryBatch, header, checksumMetadata(body))));
    this.writeBody(body);
    await this.flush();
  }

  /**
   * A record batch of `rows` rows: one values buffer per field, no nulls (empty validity buffers),
   * with the checksums of its buffers and `metadata` in its message's custom metadata.
   */
  async writeRecordBatch(rows: number, columns: readonly BodyBuffer[], metadata: ReadonlyMap<string, string> = new Map()): Promise<void> {
    const body = columns.flatMap((values) => [new Uint8Array(0), values]);
    const { regions, length } = bodyRegions(body);
    const header = new RecordBatch(rows, columns.map(() => new FieldNode(rows, 0)), regions, null);
    const custom = new Map([...checksumMetadata(body), ...metadata]);
    this.recordBatchBlocks.push(this.writeMessage(new Message(length, MetadataVersion.V5, MessageHeader.RecordBatch, header, custom)));
    this.writeBody(body);
    await this.flush();
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
    const framed = alignUp(8 + metadata.byteLength);
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

  /** Writes the queue: runs of small pieces joined into one write, large pieces as they are. */
  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const pieces = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    let run: Uint8Array[] = [];
    let runBytes = 0;
    const writeRun = async (): Promise<void> => {
      if (run.length === 0) return;
      const joined = run.length === 1 ? (run[0] as Uint8Array) : new Uint8Array(runBytes);
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
    this.write(ZEROS.subarray(0, alignUp(this.position) - this.position));
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
    at = alignUp(at + buffer.byteLength);
    return region;
  });
  return { regions, length: at };
}

function alignUp(n: number): number {
  return Math.ceil(n / FILE_ALIGNMENT) * FILE_ALIGNMENT;
}
