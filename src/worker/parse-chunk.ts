// The parse kernel: bytes of genome-matrix lines -> POS integers and one-byte allele codes written
// straight into the shared columns. No per-cell string is made: a one-byte allele is mapped to its
// code through a 256-entry lookup table; only alleles of several bytes consult the dictionary.

import { closeSync, openSync, readSync } from 'node:fs';
import { AlleleDictionary, DictionaryFullError } from '../layout/allele-dictionary.js';
import { DamagedGzip } from '../read/inflate.js';
import { parseBgzfRange } from './inflate-bgzf.js';
import { MAX_NAME_BYTES } from '../layout/matrix-layout.js';
import { nameHash } from '../layout/name-hash.js';
import { Int32List } from '../layout/int32-list.js';
import { nativeParse } from '../native.js';
import { RUN_NUMBERS, type ContigRuns, type FileRangeSource, type ParseProblem, type ParseResult, type ParseTask } from './messages.js';

const TAB = 9;
const NL = 10;
const CR = 13;
const ZERO = 48;
const MAX_POS = 2147483647;

/** Rows the hot loop reads when the binding's stopped at once (lines it does not take, such as those of long alleles), before it tries the binding's again. */
const OWN_LOOP_ROWS = 64;

/** Bytes read from the file at a time by one worker. */
const READ_BLOCK = 2 << 20;
/** The worker's read buffer, reused by every task it runs (grown for a line longer than it). */
let readBuffer = Buffer.allocUnsafe(READ_BLOCK + 1);

const UNKNOWN = -1;
const INVALID = -2;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Raised inside the kernel; turned into a `ParseProblem` carrying the line. */
class LineProblem extends Error {
  constructor(
    readonly column: number | undefined,
    readonly problem: string,
  ) {
    super(problem);
  }
}

const Status = {
  done: 0,
  newContig: 1,
  capacity: 2,
  shortLine: 3,
  longLine: 4,
  badPos: 5,
  unsorted: 6,
  allele: 7,
} as const;

/** What the hot loop hands back when it stops: why, and where. */
interface LoopState {
  status: number;
  row: number;
  lastPos: number;
  /** Byte offset where the stop happened (e.g. the end of a new contig name). */
  at: number;
  /** 1-based field number of a problem. */
  column: number;
  value: number;
}

/**
 * The hot loop, kept apart from the class so that it sees only locals and typed arrays (V8 then
 * compiles it once and keeps it). Parses rows until `end`/`stop`, a new contig or a problem;
 * returns the offset of the line it stopped at (after the last line when done).
 */
function parseRows(
  buf: Uint8Array,
  /** `buf` as a DataView, made once per buffer by the caller (a view per call was one per contig run). */
  view: DataView,
  p: number,
  end: number,
  stop: number,
  codes: Uint8Array[],
  lut: Int16Array,
  pos: Int32Array,
  /** Rows the columns take (the hot loop stops at it): `pos.length`, or less to hand the run to the native loop. */
  capacity: number,
  contig: Uint8Array,
  contigLength: number,
  allowUnsorted: boolean,
  /** Its `lookup`: a method, one call target for every parser (a closure per parser made the hot loop deoptimise at each task's first long allele). */
  parser: { lookup(buf: Uint8Array, start: number, end: number): number },
  state: LoopState,
): number {
  const last = codes.length - 1;
  let row = state.row;
  let lastPos = state.lastPos;
  let status: number = Status.done;
  let at = 0;
  let column = 0;
  let value = 0;
  rows: while (p < end && p < stop) {
    if (row >= capacity) {
      status = Status.capacity;
      break;
    }
    // CHROM: the current contig's name followed by a tab, or else the line starts a new run.
    let q = p;
    let same = buf[p + contigLength] === TAB;
    for (let k = 0; same && k < contigLength; k++) same = buf[p + k] === contig[k];
    if (same) {
      q = p + contigLength;
    } else {
      let b = buf[q] as number;
      while (b !== TAB) {
        if (b === NL) {
          status = Status.shortLine;
          at = q;
          column = 2;
          break rows;
        }
        b = buf[++q] as number;
      }
      status = Status.newContig;
      at = q;
      break;
    }
    // POS
    const posStart = ++q;
    value = 0;
    let b = buf[q] as number;
    while (b !== TAB) {
      const digit = b - ZERO;
      if (digit < 0 || digit > 9 || value > MAX_POS) break;
      value = value * 10 + digit;
      b = buf[++q] as number;
    }
    if (b !== TAB || q === posStart || value === 0 || value > MAX_POS) {
      status = b === NL ? Status.shortLine : Status.badPos;
      at = b === NL ? q : posStart;
      column = 3;
      break;
    }
    if (value < lastPos && !allowUnsorted) {
      status = Status.unsorted;
      break;
    }
    q++;
    // Fast path: every allele one byte, so the line is `x\tx\t...x\n`. Two fields are read as one
    // little-endian 32-bit word (`x\ty\t`), codes written, and the separators checked once for
    // the line; anything else (a longer or unknown allele, CRLF, a wrong field count) falls
    // through to the field-by-field loop, which rewrites the row.
    if (q + 2 * last + 2 <= end) {
      let known = 0;
      let tabs = 0;
      let f = q;
      let c = 0;
      for (; c + 1 < last; c += 2) {
        const word = view.getUint32(f, true);
        const c0 = lut[word & 255] as number;
        const c1 = lut[(word >>> 16) & 255] as number;
        known |= c0 | c1;
        tabs |= (word & 0xff00ff00) ^ 0x09000900;
        (codes[c] as Uint8Array)[row] = c0;
        (codes[c + 1] as Uint8Array)[row] = c1;
        f += 4;
      }
      for (; c < last; c++) {
        const code = lut[buf[f] as number] as number;
        known |= code;
        tabs |= (buf[f + 1] as number) ^ TAB;
        (codes[c] as Uint8Array)[row] = code;
        f += 2;
      }
      const lastCode = lut[buf[f] as number] as number;
      if ((known | lastCode) >= 0 && tabs === 0 && buf[f + 1] === NL) {
        (codes[last] as Uint8Array)[row] = lastCode;
        pos[row] = value;
        lastPos = value;
        row++;
        p = f + 2;
        continue;
      }
    }
    // REF, then one allele per haplotype: a one-byte allele through the lookup table.
    for (let c = 0; c <= last; c++) {
      const first = buf[q] as number;
      const next = buf[q + 1];
      let code: number;
      let separator: number;
      if (next === TAB || next === NL) {
        code = lut[first] as number;
        if (code < 0) code = parser.lookup(buf, q, first === TAB || first === NL ? q : q + 1);
        separator = first === TAB || first === NL ? first : next;
        q += first === TAB || first === NL ? 1 : 2;
      } else if (next === CR && buf[q + 2] === NL && c === last) {
        code = lut[first] as number;
        if (code < 0) code = parser.lookup(buf, q, q + 1);
        separator = NL;
        q += 3;
      } else {
        let e = q;
        let x = first;
        while (x !== TAB && x !== NL) x = buf[++e] as number;
        separator = x;
        code = parser.lookup(buf, q, x === NL && buf[e - 1] === CR && c === last ? e - 1 : e);
        q = e + 1;
      }
      if (code < 0) {
        status = Status.allele;
        column = c + 3;
        break rows;
      }
      if (separator === NL && c < last) {
        status = Status.shortLine;
        at = q - 1;
        column = c + 4;
        break rows;
      }
      if (separator === TAB && c === last) {
        status = Status.longLine;
        break rows;
      }
      (codes[c] as Uint8Array)[row] = code;
    }
    pos[row] = value;
    lastPos = value;
    row++;
    p = q;
  }
  state.status = status;
  state.row = row;
  state.lastPos = lastPos;
  state.at = at;
  state.column = column;
  state.value = value;
  return p;
}

/**
 * The run lists of a worker's last parse task, for its next: a task's lists grow with its runs
 * (2,000-6,000 for 100,000 contigs), and each growth is a new array, copied and its pages faulted
 * in, in every task.
 */
let spareLists: { numbers: Int32List; names: Uint8Array } | undefined;

/** Parses complete lines into the columns of one chunk's row region. */
export class ChunkParser {
  /**
   * The runs so far (`ContigRuns`: the open one's numbers are set as it closes), their names' UTF-8
   * bytes, a tab after each (made one string when the parse is done: `runs`), and whether all
   * are ASCII. The binding's loop adds runs to these itself.
   */
  private readonly runNumbers: Int32List;
  private nameBytes: Uint8Array;
  private nameLength = 0;
  private asciiNames = true;
  /** Rows written so far. */
  rows = 0;
  /** Lines of unselected contigs skipped so far (`ParseTask.contigs`). */
  skipped = 0;
  private readonly pos: Int32Array;
  private readonly codes: Uint8Array[];
  private readonly lut = new Int16Array(256);
  private readonly dictionary: AlleleDictionary;
  private contigBytes = new Uint8Array(64);
  /** The same bytes as a Buffer, whose `latin1` decoding makes an ASCII name's string. */
  private contigText = Buffer.from(this.contigBytes.buffer);
  private contigLength = -1;
  /** The open run's index (-1: none yet), and the row it started at. */
  private run = -1;
  private runStart = 0;
  /** The contigs whose lines become rows (all when undefined), and whether the open run is skipped. */
  private readonly keep: Set<string> | undefined;
  private skipping = false;

  constructor(private readonly task: ParseTask) {
    // The worker's lists of the last task, emptied (`release`): grown once a worker, not a task.
    const lists = spareLists ?? { numbers: new Int32List(RUN_NUMBERS * 64), names: new Uint8Array(1 << 12) };
    spareLists = undefined;
    lists.numbers.length = 0;
    this.runNumbers = lists.numbers;
    this.nameBytes = lists.names;
    const { columns, rowStart, rowCapacity } = task;
    const refs = task.columnRefs;
    const count = refs ? refs.length / 2 : columns.length;
    if (count !== task.fields - 1) throw new Error('parse task: column count mismatch');
    const at = (c: number, width: number): [SharedArrayBuffer, number] => {
      const b = refs ? (refs[2 * c] as number) : c;
      const buffer = columns[b];
      if (!buffer) throw new Error(`parse task: no buffer ${b}`);
      return [buffer, (refs ? (refs[2 * c + 1] as number) : 0) + rowStart * width];
    };
    this.pos = new Int32Array(...at(0, 4), rowCapacity);
    this.codes = Array.from({ length: count - 1 }, (_, c) => new Uint8Array(...at(c + 1, 1), rowCapacity));
    this.dictionary = AlleleDictionary.attach(task.alleles);
    this.keep = task.contigs && new Set(task.contigs);
    this.lut.fill(UNKNOWN);
    for (let b = 0; b < 256; b++) if (b < 0x21 || b > 0x7e) this.lut[b] = INVALID;
    this.native = nativeParse?.rowParser(this.codes, this.pos);
  }

  /**
   * Parses the lines that start in `[p, stop)`; every line starting before `end` must end with
   * `\n` before `end`. Returns the offset after the last line parsed.
   */
  parse(buf: Uint8Array, p: number, end: number, stop: number): number {
    const loop = this.loop;
    loop.row = this.rows;
    loop.lastPos = this.run >= 0 ? (this.runNumbers.values[RUN_NUMBERS * this.run + 2] as number) : 0;
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (;;) {
      if (this.skipping) p = this.skipLines(buf, p, end, stop);
      // With the binding, lines go through its loop first, contig changes included, and the line
      // it stops at (a longer or first-seen allele, a contig it does not take, a problem) through
      // this one. When it stopped at once, this loop reads up to OWN_LOOP_ROWS rows before the
      // binding's is tried again: a call per line of long alleles would cost more than the line.
      let capacity = this.pos.length;
      let lineStop = stop;
      if (this.native && !this.skipping) {
        if (loop.row >= this.ownLoopUntil) {
          const from = p;
          p = this.nativeLines(this.native, buf, p, end, stop);
          if (p === from) this.ownLoopUntil = loop.row + OWN_LOOP_ROWS;
          else lineStop = Math.min(stop, p + 1);
        }
        if (loop.row < this.ownLoopUntil) capacity = Math.min(capacity, this.ownLoopUntil);
      }
      p = parseRows(buf, view, p, end, lineStop, this.codes, this.lut, this.pos, capacity, this.contigBytes, this.contigLength, this.task.allowUnsorted, this, loop);
      this.rows = loop.row;
      if (loop.status === Status.done) {
        if (lineStop < stop && p < stop && p < end) continue;
        break;
      }
      if (loop.status === Status.capacity && capacity < this.pos.length) continue;
      if (loop.status === Status.newContig) {
        this.closeRun(loop.lastPos);
        this.startRun(buf, p, loop.at);
        loop.lastPos = 0;
        continue;
      }
      this.closeRun(loop.lastPos);
      throw this.describe(buf, p, loop);
    }
    this.closeRun(loop.lastPos);
    return p;
  }

  private readonly loop: LoopState = { status: 0, row: 0, lastPos: 0, at: 0, column: 0, value: 0 };

  /** The binding's parser of this chunk's columns (src/native.ts `parseLines`), when there is one. */
  private readonly native: object | undefined;
  private readonly nativeState = new Float64Array(11);
  /** The row before which the hot loop reads, not the binding's (see `parse`). */
  private ownLoopUntil = 0;

  /**
   * Parses common lines from `p` in the binding's loop (see `parse`); returns where it stopped.
   * The binding closes and starts runs itself, in `runNumbers` and `nameBytes`, as `closeRun` and
   * `startRun` do: with no call back here per run, whose names and numbers took a worker longer
   * than the binding its lines for 100,000 contigs of 4 sites (and their functions some 25 ms to
   * compile, in each worker). When it stops for want of room, the lists grow (twofold) and it goes
   * on: they hold the runs there are, not room for many (a seed-shaped chunk has one). When only
   * some contigs are kept, this loop starts every run: the binding is given no room for one.
   */
  private nativeLines(parser: object, buf: Uint8Array, p: number, end: number, stop: number): number {
    const { loop, nativeState: state, runNumbers } = this;
    state[1] = end;
    state[2] = stop;
    state[6] = this.task.allowUnsorted ? 1 : 0;
    for (;;) {
      const runs = this.runCount;
      state[0] = p;
      state[3] = loop.row;
      state[4] = loop.lastPos;
      state[5] = Math.max(0, this.contigLength);
      state[7] = runs;
      state[8] = this.nameLength;
      state[9] = this.runStart;
      const room = this.keep ? runNumbers.values.subarray(0, runNumbers.length) : runNumbers.values;
      (nativeParse as NonNullable<typeof nativeParse>).parseLines(parser, buf, this.contigBytes, this.lut, state, room, this.nameBytes);
      // As small integers (the binding keeps offsets and rows below 2^31): a number read from a
      // Float64Array is a heap number to the functions it is passed to, and code compiled for
      // small integers was thrown away and compiled again at the first one, in every worker.
      const count = (state[7] as number) | 0;
      if (count !== runs) {
        runNumbers.length = RUN_NUMBERS * count;
        this.nameLength = (state[8] as number) | 0;
        this.run = count - 1;
        this.runStart = (state[9] as number) | 0;
        this.openRunName();
      }
      loop.row = (state[3] as number) | 0;
      loop.lastPos = (state[4] as number) | 0;
      p = (state[0] as number) | 0;
      if (state[10] !== 1 || this.keep) return p;
      runNumbers.reserve(RUN_NUMBERS * Math.max(64, count));
      this.reserveNames(Math.max(4096, this.nameLength) + 1025);
    }
  }

  /** Hands the run lists on to the worker's next task (after `runs`: the parser is done with them). */
  release(): void {
    spareLists = { numbers: this.runNumbers, names: this.nameBytes };
  }

  /** Runs so far. */
  private get runCount(): number {
    return this.runNumbers.length / RUN_NUMBERS;
  }

  /** Room in `nameBytes` for `more` bytes after the last. */
  private reserveNames(more: number): void {
    if (this.nameLength + more <= this.nameBytes.length) return;
    let size = 2 * this.nameBytes.length;
    while (this.nameLength + more > size) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.nameBytes.subarray(0, this.nameLength));
    this.nameBytes = bigger;
  }

  /** The open run's name as the current contig's (`contigBytes`), which lines are compared with: after the binding started runs. */
  private openRunName(): void {
    const at = RUN_NUMBERS * this.run + 5;
    const start = this.runNumbers.values[at] as number;
    const length = this.runNumbers.values[at + 1] as number;
    if (length > this.contigBytes.length) {
      this.contigBytes = new Uint8Array(2 * length);
      this.contigText = Buffer.from(this.contigBytes.buffer);
    }
    this.contigBytes.set(this.nameBytes.subarray(start, start + length));
    this.contigLength = length;
  }

  /** The name of run `k`. */
  private runName(k: number): string {
    const at = RUN_NUMBERS * k + 5;
    const start = this.runNumbers.values[at] as number;
    return Buffer.from(this.nameBytes.buffer, start, this.runNumbers.values[at + 1] as number).toString(this.asciiNames ? 'latin1' : 'utf8');
  }

  /** Turns a stop of the hot loop into a problem with its column. */
  private describe(buf: Uint8Array, lineStart: number, loop: LoopState): LineProblem {
    const { column, at } = loop;
    const fields = this.task.fields;
    switch (loop.status) {
      case Status.capacity:
        return new Error('parse task: row capacity exceeded') as LineProblem;
      case Status.shortLine:
        if (at === lineStart || (at === lineStart + 1 && buf[lineStart] === CR)) return new LineProblem(undefined, 'empty line');
        return new LineProblem(column, `expected ${fields} tab-separated fields, found ${column - 1}`);
      case Status.longLine:
        return new LineProblem(fields + 1, `expected ${fields} tab-separated fields, found ${countFields(buf, lineStart)}`);
      case Status.badPos:
        return this.badPos(buf, at);
      case Status.unsorted:
        return new LineProblem(2, `POS ${loop.value} is smaller than the previous POS ${loop.lastPos} of contig ${this.runName(this.run)}: rows of a contig run must be sorted (or pass --allow-unsorted)`);
      default:
        return new LineProblem(column, this.alleleProblem);
    }
  }

  private startRun(buf: Uint8Array, start: number, end: number): void {
    if (end === start) throw new LineProblem(1, 'empty CHROM');
    if (end - start > MAX_NAME_BYTES) throw new LineProblem(1, `contig name of ${end - start} bytes is longer than the ${MAX_NAME_BYTES} accepted`);
    if (end - start > this.contigBytes.length) {
      this.contigBytes = new Uint8Array(2 * (end - start));
      this.contigText = Buffer.from(this.contigBytes.buffer);
    }
    // One pass over the name's bytes: checked, copied, and whether they are all ASCII.
    const bytes = this.contigBytes;
    let ascii = true;
    let control = -1;
    for (let k = start; k < end; k++) {
      const b = buf[k] ?? 0;
      if (control < 0 && (b < 0x20 || b === 0x7f)) control = b;
      if (b >= 0x80) ascii = false;
      bytes[k - start] = b;
    }
    const length = end - start;
    this.contigLength = length;
    if (!ascii) {
      try {
        utf8.decode(bytes.subarray(0, length));
      } catch {
        throw new LineProblem(1, 'CHROM is not valid UTF-8 text (is this a binary file?)');
      }
      this.asciiNames = false;
    }
    if (control >= 0) throw new LineProblem(1, `unexpected byte 0x${control.toString(16).padStart(2, '0')} in CHROM (is this a binary file?)`);
    // The name as a string only to look it up among the contigs kept.
    this.skipping = this.keep !== undefined && !this.keep.has(this.contigText.toString(ascii ? 'latin1' : 'utf8', 0, length));
    this.reserveNames(length + 1);
    this.nameBytes.set(bytes.subarray(0, length), this.nameLength);
    this.nameBytes[this.nameLength + length] = TAB;
    this.run = this.runCount;
    const numbers = this.runNumbers;
    numbers.push(0);
    numbers.push(0);
    numbers.push(0);
    numbers.push(this.skipping ? 0 : -1);
    numbers.push(nameHash(bytes, 0, length));
    numbers.push(this.nameLength);
    numbers.push(length);
    this.nameLength += length + 1;
    this.runStart = this.rows;
  }

  /**
   * Skips the lines of the open run's contig (one outside the selection) that start in
   * `[p, stop)`: POS is not read and no row written, but the cells are checked and their alleles
   * interned, as `parseRows` does. Returns the offset of the first line not skipped.
   */
  private skipLines(buf: Uint8Array, p: number, end: number, stop: number): number {
    const skippedAt = RUN_NUMBERS * this.run + 3;
    const name = this.contigBytes;
    const n = this.contigLength;
    const lut = this.lut;
    const cells = this.task.fields - 2;
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    while (p < end && p < stop) {
      if (buf[p + n] !== TAB) break;
      let k = 0;
      while (k < n && buf[p + k] === name[k]) k++;
      if (k < n) break;
      let q = p + n + 1;
      let b = buf[q] as number;
      while (b !== TAB && b !== NL) b = buf[++q] as number;
      if (b === NL) throw new LineProblem(3, `expected ${this.task.fields} tab-separated fields, found 2`);
      q++;
      // Fast path, as in parseRows: every cell one known byte, read two at a time; no stores.
      let next = -1;
      const last = cells - 1;
      if (q + 2 * last + 2 <= end) {
        let known = 0;
        let tabs = 0;
        let f = q;
        let c = 0;
        for (; c + 1 < last; c += 2) {
          const word = view.getUint32(f, true);
          known |= (lut[word & 255] as number) | (lut[(word >>> 16) & 255] as number);
          tabs |= (word & 0xff00ff00) ^ 0x09000900;
          f += 4;
        }
        for (; c < last; c++) {
          known |= lut[buf[f] as number] as number;
          tabs |= (buf[f + 1] as number) ^ TAB;
          f += 2;
        }
        known |= lut[buf[f] as number] as number;
        if (known >= 0 && tabs === 0 && buf[f + 1] === NL) next = f + 2;
      }
      p = next >= 0 ? next : this.scanCells(buf, p, q, cells);
      (this.runNumbers.values[skippedAt] as number)++;
      this.skipped++;
    }
    return p;
  }

  /** Checks and interns the cells of one skipped line, from `q`; returns the offset after its line end. */
  private scanCells(buf: Uint8Array, lineStart: number, q: number, cells: number): number {
    const fields = this.task.fields;
    for (let c = 0; c < cells; c++) {
      const last = c === cells - 1;
      let e = q;
      let x = buf[e] as number;
      while (x !== TAB && x !== NL) x = buf[++e] as number;
      const cellEnd = last && x === NL && e > q && buf[e - 1] === CR ? e - 1 : e;
      let code = cellEnd - q === 1 ? (this.lut[buf[q] as number] as number) : UNKNOWN;
      if (code < 0) code = this.lookup(buf, q, cellEnd);
      if (code < 0) throw new LineProblem(c + 3, this.alleleProblem);
      if (x === NL && !last) throw new LineProblem(c + 4, `expected ${fields} tab-separated fields, found ${c + 3}`);
      if (x === TAB && last) throw new LineProblem(fields + 1, `expected ${fields} tab-separated fields, found ${countFields(buf, lineStart)}`);
      q = e + 1;
    }
    return q;
  }

  /** Records the open run's row count and first and last POS, as of `this.rows`. */
  private closeRun(lastPos: number): void {
    if (this.run < 0) return;
    const at = RUN_NUMBERS * this.run;
    const rows = this.rows - this.runStart;
    const numbers = this.runNumbers.values;
    numbers[at] = rows;
    if (rows > 0) {
      numbers[at + 1] = this.pos[this.runStart] ?? 0;
      numbers[at + 2] = lastPos;
    }
  }

  /**
   * The runs parsed, as the result hands them back: their names one string, made at once when all
   * are ASCII (where a name's bytes are its characters), else name by name, with each one's place
   * in characters.
   */
  get runs(): ContigRuns {
    const numbers = this.runNumbers.sharedCopy();
    // Without the last name's tab.
    const bytes = Buffer.from(this.nameBytes.buffer, 0, Math.max(0, this.nameLength - 1));
    if (this.asciiNames) return { names: bytes.toString('latin1'), numbers };
    const names: string[] = [];
    let at = 0;
    for (let k = 0, count = numbers.length / RUN_NUMBERS; k < count; k++) {
      const place = RUN_NUMBERS * k + 5;
      const start = numbers[place] as number;
      const name = bytes.toString('utf8', start, start + (numbers[place + 1] as number));
      names.push(name);
      numbers[place] = at;
      numbers[place + 1] = name.length;
      at += name.length + 1;
    }
    return { names: names.join('\t'), numbers };
  }

  private alleleProblem = '';

  /**
   * Code of the allele at `buf[start, end)` that the lookup table could not give (a first-seen
   * one-byte allele or a longer one), or -1 with `alleleProblem` set.
   */
  lookup(buf: Uint8Array, start: number, end: number): number {
    if (end === start) return this.refuse('empty cell');
    for (let k = start; k < end; k++) {
      const b = buf[k] ?? 0;
      if (this.lut[b] === INVALID) {
        if (b === CR) return this.refuse('unexpected carriage return');
        return this.refuse(`unexpected byte 0x${b.toString(16).padStart(2, '0')} in an allele: alleles are printable ASCII (is this a binary or non-UTF-8 file?)`);
      }
    }
    try {
      const code = this.dictionary.intern(buf, start, end);
      if (end - start === 1) this.lut[buf[start] ?? 0] = code;
      return code;
    } catch (error) {
      if (error instanceof DictionaryFullError) return this.refuse(error.message);
      throw error;
    }
  }

  private refuse(problem: string): number {
    this.alleleProblem = problem;
    return -1;
  }

  private badPos(buf: Uint8Array, start: number): LineProblem {
    let end = start;
    while (end < buf.length && buf[end] !== TAB && buf[end] !== NL && end - start < 40) end++;
    const text = Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('latin1');
    return new LineProblem(2, `POS '${text}' is not a positive integer (1 to ${MAX_POS})`);
  }
}

/** Fields of the line starting at `start` (up to its line end, or the end of the buffer). */
function countFields(buf: Uint8Array, start: number): number {
  let fields = 1;
  for (let k = start; k < buf.length && buf[k] !== NL; k++) if (buf[k] === TAB) fields++;
  return fields;
}

/** Runs a parse task: reads its source and fills its row region. */
export function runParseTask(task: ParseTask): ParseResult {
  const parser = new ChunkParser(task);
  try {
    return parseSource(task, parser);
  } finally {
    parser.release();
  }
}

/** Runs `parser` over a parse task's source. */
function parseSource(task: ParseTask, parser: ChunkParser): ParseResult {
  try {
    if (task.source.type === 'block') {
      const bytes = new Uint8Array(task.source.bytes, 0, task.source.length);
      parser.parse(bytes, 0, bytes.length, bytes.length);
    } else if (task.source.type === 'bgzf') {
      parseBgzfRange(task.source, (bytes, p, end) => parser.parse(bytes, p, end, end));
    } else {
      parseFileRange(task.source, parser);
    }
  } catch (error) {
    if (error instanceof DamagedGzip) return { rows: 0, lines: 0, runs: parser.runs, damaged: error.message };
    if (!(error instanceof LineProblem)) throw error;
    const problem: ParseProblem = { line: parser.rows + parser.skipped, problem: error.problem };
    if (error.column !== undefined) problem.column = error.column;
    return { rows: parser.rows, lines: parser.rows + parser.skipped, runs: parser.runs, problem };
  }
  return { rows: parser.rows, lines: parser.rows + parser.skipped, runs: parser.runs };
}

/** Reads `[start, end)` of a file block by block (plus the tail of its last line) and parses it. */
function parseFileRange(source: FileRangeSource, parser: ChunkParser): void {
  const fd = openSync(source.path, 'r');
  try {
    let buf = readBuffer;
    // Read from one byte early: a chunk owns the lines that start inside it, so when the byte
    // before `start` is not a line end, the first partial line belongs to the previous chunk.
    let bufAt = source.start > source.dataStart ? source.start - 1 : source.start;
    let length = 0;
    let eof = false;
    let p = -1;
    for (;;) {
      const n = eof ? 0 : readSync(fd, buf, length, buf.length - 1 - length, bufAt + length);
      if (n === 0) eof = true;
      length += n;
      if (p < 0) {
        if (source.start === source.dataStart) p = 0;
        else {
          const nl = buf.indexOf(NL, 0);
          if (nl >= 0 && nl < length) p = nl + 1;
          else if (eof) return;
        }
      }
      if (p >= 0) {
        let end = buf.lastIndexOf(NL, length - 1) + 1;
        if (eof && end < length) {
          buf[length++] = NL; // the last line of the file has no line end
          end = length;
        }
        const stop = source.end - bufAt;
        p = parser.parse(buf, p, Math.max(end, p), stop);
        if (p >= stop || (eof && p >= length)) return;
      }
      // Keep the unparsed tail, then read more behind it; grow when one line fills the buffer.
      const keep = p < 0 ? 0 : p;
      if (keep === 0 && length >= buf.length - 1) {
        const bigger = Buffer.allocUnsafe(2 * buf.length);
        buf.copy(bigger, 0, 0, length);
        buf = readBuffer = bigger;
      } else if (keep > 0) {
        buf.copy(buf, 0, keep, length);
        length -= keep;
        bufAt += keep;
        p = 0;
      }
    }
  } finally {
    closeSync(fd);
  }
}
