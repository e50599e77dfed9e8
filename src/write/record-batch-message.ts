// The message of one record batch of a packed matrix (native-layout/README.md, "The file layout"),
// encoded from a template: for a given number of fields and metadata keys, every record batch
// message is the same flatbuffer with other numbers in it (its length, the field node lengths, the
// buffer offsets and lengths, the body length) and other checksum digits. The template is
// apache-arrow's own encoding with placeholders (`ArrowFileWriter.recordBatchTemplate`), so a
// message filled in here is the bytes apache-arrow writes, made with copies and a few stores
// instead of a flatbuffer builder: 20,000 small contigs are 20,000 messages. Imports nothing
// heavy: worker threads encode the record batches of small contigs (worker/pack-batch.ts).

/** A record batch message with its numbers left to fill, and where they are. */
export interface RecordBatchTemplate {
  /** The Message flatbuffer. */
  metadata: Uint8Array;
  /** Fields of the batch: each has two buffers, validity (empty) and values. */
  fields: number;
  /** Byte positions in `metadata`: `RecordBatch.length` (int64). */
  lengthAt: number;
  /** The first `FieldNode` (16 bytes each: int64 length, int64 null count). */
  nodesAt: number;
  /** The first `Buffer` (16 bytes each: int64 offset, int64 length). */
  buffersAt: number;
  /** `Message.bodyLength` (int64). */
  bodyLengthAt: number;
  /** The checksums' text: 16 hex digits per buffer, comma-separated (the commas are in `metadata`). */
  checksumsAt: number;
  /** The contig count's text (`CONTIG_COUNT_DIGITS` digits), in a template of batches of several contigs. */
  contigsAt?: number;
}

/** Digits of a record batch's contig count (`genomatrix.contigs`), zero-padded: every message of a template has the same length. */
export const CONTIG_COUNT_DIGITS = 10;
/** The contig count's value in a template, where the digits go. */
export const CONTIG_COUNT_PLACEHOLDER = 'n'.repeat(CONTIG_COUNT_DIGITS);

/** Alignment of messages and body buffers in a packed file. */
export const MESSAGE_ALIGNMENT = 64;

const HEX = new TextEncoder().encode('0123456789abcdef');

/** Rounds up to a multiple of `MESSAGE_ALIGNMENT`. */
export function alignMessage(n: number): number {
  return Math.ceil(n / MESSAGE_ALIGNMENT) * MESSAGE_ALIGNMENT;
}

/** Bytes of the framed message (0xFFFFFFFF, its length, the flatbuffer, zeros to a multiple of 64). */
export function framedBytes(template: RecordBatchTemplate): number {
  return alignMessage(8 + template.metadata.length);
}

/**
 * Writes the framed message of a record batch at `out[at]` (`framedBytes` of them): `rows` rows,
 * buffer `k` at `offsets[k]` of the body with `lengths[k]` bytes, a body of `bodyLength` bytes,
 * `checksums[k]` the XXH3-64 of buffer `k`, and `contigs` contigs when the template has their
 * count. Nothing else of `out` is touched.
 */
export function writeRecordBatchMessage(out: Uint8Array, at: number, template: RecordBatchTemplate, rows: number, offsets: ArrayLike<number>, lengths: ArrayLike<number>, bodyLength: number, checksums: ArrayLike<bigint>, contigs = 1): void {
  const { metadata } = template;
  const framed = framedBytes(template);
  const view = new DataView(out.buffer, out.byteOffset + at, framed);
  view.setInt32(0, -1, true);
  view.setInt32(4, framed - 8, true);
  out.set(metadata, at + 8);
  out.fill(0, at + 8 + metadata.length, at + framed);
  setInt64(view, 8 + template.lengthAt, rows);
  for (let f = 0; f < template.fields; f++) setInt64(view, 8 + template.nodesAt + 16 * f, rows);
  for (let k = 0; k < 2 * template.fields; k++) {
    setInt64(view, 8 + template.buffersAt + 16 * k, offsets[k] as number);
    setInt64(view, 16 + template.buffersAt + 16 * k, lengths[k] as number);
  }
  setInt64(view, 8 + template.bodyLengthAt, bodyLength);
  let digit = at + 8 + template.checksumsAt;
  for (let k = 0; k < 2 * template.fields; k++) {
    // The checksum's two 32-bit halves, read through a typed array: no BigInt arithmetic.
    checksum[0] = checksums[k] as bigint;
    writeHex(out, digit, halves[1] as number);
    writeHex(out, digit + 8, halves[0] as number);
    digit += 17; // 16 digits and a comma
  }
  if (template.contigsAt !== undefined) {
    let count = contigs;
    for (let d = CONTIG_COUNT_DIGITS - 1; d >= 0; d--) {
      out[at + 8 + template.contigsAt + d] = 48 + (count % 10);
      count = Math.floor(count / 10);
    }
  }
}

/** A checksum and its two 32-bit halves (little-endian: [0] the low one). */
const checksum = new BigUint64Array(1);
const halves = new Uint32Array(checksum.buffer);

/** Stores a non-negative safe integer as a little-endian int64. */
function setInt64(view: DataView, at: number, value: number): void {
  view.setUint32(at, value >>> 0, true);
  view.setUint32(at + 4, Math.floor(value / 2 ** 32), true);
}

/** Writes `value` (32 bits) as 8 lower-case hex digits at `out[at]`, a byte (two digits) at a time. */
function writeHex(out: Uint8Array, at: number, value: number): void {
  for (let d = 6; d >= 0; d -= 2) {
    const byte = value & 255;
    out[at + d] = HEX[byte >>> 4] as number;
    out[at + d + 1] = HEX[byte & 15] as number;
    value >>>= 8;
  }
}

/**
 * The body of a record batch of `fields` fields and `rows` rows: per field an empty validity buffer,
 * then its values (CHROM and POS 4 bytes a row, the others 1) at a multiple of 64. Returns its
 * length; with `offsets` and `lengths`, buffer `k`'s place in it goes there too.
 */
export function recordBatchBody(fields: number, rows: number, offsets?: Float64Array, lengths?: Float64Array): number {
  let length = 0;
  for (let f = 0; f < fields; f++) {
    const values = (f < 2 ? 4 : 1) * rows;
    if (offsets && lengths) {
      offsets[2 * f] = length;
      lengths[2 * f] = 0;
      offsets[2 * f + 1] = length;
      lengths[2 * f + 1] = values;
    }
    length = alignMessage(length + values);
  }
  return length;
}
