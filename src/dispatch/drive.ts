// The conversion driver: the one loop every conversion runs on.
//
//   source     contig units, in genome order (dispatch/contig-source.ts);
//   ranges     each contig cut into row ranges, one worker task each (the conversion's `task`);
//   groups     consecutive ranges of small contigs, up to `chunkRows` rows in all, posted to one
//              worker as one message (worker/task-group.ts): one post, one reply and one write
//              for many small contigs; the bytes are the same as one task per range (or, for a
//              conversion with `collectJoined`, one joined task: `pack`'s record batch of them);
//   window     the tasks run on the ordered window (dispatch/ordered-window.ts): at most `window`
//              launched and not yet consumed (the back-pressure: a finished range waiting for its
//              turn holds a slot), at most `concurrency` of them running, the first failure
//              cancelling the rest and reported;
//   sink       results consumed in genome order: encoded bytes written to the output, other
//              results handed to the conversion; the sink commits at the end, or aborts.
//
//   spans      on a loaded matrix, runs of small contigs (one batch each, one column set) go as one
//              group made from the layout's numbers (conversion.ts `ContigSpan`), for a conversion
//              that takes them: no unit, range, task or result object per contig on the main thread.
//
// A streamed source reuses a contig's buffers for the next contig, so the driver finishes a
// contig's tasks before it asks for the next one (a DRAIN in the window's tasks). BGZF output is
// compressed in the workers: ranges by the worker that encoded them, the header and the trailer by
// a `bgzf` task.

import { hugePageBytes } from '../native.js';
import { BGZF_EOF } from '../write/bgzf.js';
import type { OutputSink } from '../write/output-sink.js';
import type { ResultOf, WorkerTask } from '../worker/kernels.js';
import type { EncodingTask } from '../worker/messages.js';
import type { GroupResult } from '../worker/task-group.js';
import { spanGroup } from '../worker/task-group.js';
import { batchChecked, batchTable, contigEnd, type BatchTable } from '../layout/batch-table.js';
import type { MatrixLayout } from '../layout/matrix-layout.js';
import { memoryUnit, transformUnits, type ContigSource, type ContigUnit, type UnitTransform } from './contig-source.js';
import { DEFAULT_CHUNK_ROWS, type ContigSpan, type Conversion, type RangeTask, type SpanLimits } from './conversion.js';
import { DRAIN, orderedWindow, type WindowItem, type WindowTask } from './ordered-window.js';
import type { WorkerPool } from './worker-pool.js';

/** Options of `drive`. */
export interface DriveOptions {
  pool: WorkerPool;
  /** Destroy the pool when the run ends (a run that made its own pool). */
  ownsPool?: boolean;
  /** Where encoded bytes go; committed when the run completes, aborted when it fails. */
  sink?: OutputSink;
  /** Compress the output as BGZF (in the workers) and end it with the BGZF end block. */
  bgzf?: boolean;
  /** The BGZF deflate level, 0-9 (default `DEFAULT_BGZF_LEVEL`). */
  level?: number;
  /** Tasks launched and not yet consumed (default: twice the pool's threads). */
  window?: number;
  /** Tasks running at once (default: `window`). */
  concurrency?: number;
  signal?: AbortSignal;
  /** A per-contig layout transform applied to every unit (a region or sample selection). */
  transform?: UnitTransform;
  /** Called as each range (or span) is consumed, in genome order: its sites, and the contigs it ended. */
  onRange?: (sites: number, contigs: number) => void;
  /** Called as each task completes, in any order (for a count of tasks done). */
  onTaskDone?: () => void;
}

/**
 * When a group (or span) of small contigs is full: at `GROUP_RANGES` ranges once it holds
 * `GROUP_ROWS` rows, else at `MAX_GROUP_RANGES`. This bounds a group's message, results and bytes
 * while keeping its work worth a post and a reply. 512 contigs of 20 sites make a group of some
 * milliseconds' work: 20,000 of them are 40 groups, which share out evenly over the workers and
 * pipeline with the writes (4,096 made `stats` 6 groups of 3,277: at 512, `stats` of them takes
 * 0.92x the time and 348 -> 234 MiB; `vcf` of 100,000 contigs of 4 sites 0.96x, 398 -> 302 MiB).
 * 512 contigs of 4 sites, though, are 2,048 rows, a millisecond of work against some 0.5 ms of
 * round trip; so a group of smaller contigs goes on to `GROUP_ROWS` rows: 100,000 contigs of 4
 * sites are 49 groups, not 196.
 */
const GROUP_RANGES = 512;
const GROUP_ROWS = 8192;
const MAX_GROUP_RANGES = 4096;

/** Whether a group of `count` ranges and `rows` rows is full (see `GROUP_RANGES`). */
function groupFull(count: number, rows: number): boolean {
  return count >= MAX_GROUP_RANGES || (count >= GROUP_RANGES && rows >= GROUP_ROWS);
}

/** Size of the first output slots of a conversion without `slotBytes`, and the multiple a larger one is rounded to. */
const FIRST_SLOT_BYTES = 1 << 18;
const SLOT_ALIGNMENT = 1 << 16;

/** How an encoding task or group hands its bytes back: in its output slot, or a buffer of their own. */
type HandedBack = { length: number } | { bytes: Uint8Array };

/** One task or group of tasks, done: its ranges (or span) in genome order, one result each (one for all of a joined group), and the encoded bytes of all of them. */
interface Flight {
  ranges: RangeTask[];
  span?: ContigSpan;
  results: unknown[];
  joined: boolean;
  bytes: Uint8Array | undefined;
  slot: Uint8Array | undefined;
}

/** Runs `conversion` over every contig of `source` (see the top of this file). */
export async function drive<T extends WorkerTask>(source: ContigSource, conversion: Conversion<T>, options: DriveOptions): Promise<void> {
  const { pool, sink } = options;
  try {
    options.signal?.throwIfAborted();
    await new Run(conversion, options).run(transformUnits(source, options.transform));
    if (sink) await sink.commit();
  } catch (error) {
    if (sink) await sink.abort();
    throw error;
  } finally {
    if (options.ownsPool) await pool.destroy();
  }
}

/** The state of one run of the driver. */
class Run<T extends WorkerTask> {
  /** Output slots of consumed tasks, lent again, and the size of a new one for a conversion without `slotBytes`. */
  private readonly slots: Uint8Array[] = [];
  private replyBytes = FIRST_SLOT_BYTES;
  private begun = false;
  private spanLimits: SpanLimits | undefined;

  constructor(
    private readonly conversion: Conversion<T>,
    private readonly options: DriveOptions,
  ) {}

  async run(source: ContigSource): Promise<void> {
    const window = Math.max(1, this.options.window ?? 2 * this.options.pool.threads);
    const flights = orderedWindow(this.tasks(source), {
      window,
      concurrency: this.options.concurrency,
      signal: this.options.signal,
      onDone: () => this.options.onTaskDone?.(),
    });
    for await (const flight of flights) await this.consume(flight);
    if (!this.begun) await this.write(await this.conversion.begin?.(undefined));
    const last = await this.conversion.end?.();
    if (last === undefined || last instanceof Uint8Array) await this.write(last);
    else for (const bytes of last) await this.write(bytes);
    if (this.options.bgzf && this.options.sink) await this.options.sink.write(BGZF_EOF);
  }

  /**
   * The window's tasks: each contig's ranges, one task or a group of them, made when the window
   * has room; a DRAIN after each contig of a streamed source.
   */
  private async *tasks(source: ContigSource): AsyncGenerator<WindowItem<Flight>> {
    let group: RangeTask[] = [];
    let groupRows = 0;
    const units = await this.spanned(source);
    for (;;) {
      // A synchronous source's units come without an await each.
      const step = units.next();
      const { done, value: unit } = step instanceof Promise ? await step : step;
      if (done) break;
      if ('count' in unit) {
        if (group.length > 0) yield this.launch(group);
        group = [];
        groupRows = 0;
        if (this.conversion.spanDone) {
          // Done on the main thread, after every task before it is consumed, as a contig in `contigDone`.
          yield DRAIN;
          await this.conversion.spanDone(unit);
          this.options.onRange?.(unit.rows, unit.count);
        } else yield this.launchSpan(unit);
        continue;
      }
      if (!this.begun) {
        this.begun = true;
        await this.write(await this.conversion.begin?.(unit));
      }
      if (!this.conversion.task || this.conversion.inContigDone?.(unit)) {
        // Done on the main thread, after every task before it is consumed (its bytes written).
        if (group.length > 0) yield this.launch(group);
        group = [];
        groupRows = 0;
        if (this.conversion.task) yield DRAIN;
        await this.contigDone(unit);
        this.options.onRange?.(unit.contig.sites, 1);
        continue;
      }
      const { chunkRows = DEFAULT_CHUNK_ROWS } = this.conversion;
      const rows = typeof chunkRows === 'number' ? chunkRows : chunkRows(unit);
      for (const range of contigRanges(unit, rows)) {
        // A group holds at most `rows` rows: a range of a large contig is a task of its own.
        const full = groupRows + (range.to - range.from) > rows || groupFull(group.length, groupRows);
        if (group.length > 0 && (full || this.conversion.ungrouped)) {
          yield this.launch(group);
          group = [];
          groupRows = 0;
        }
        group.push(range);
        groupRows += range.to - range.from;
        // The last range of a contig of several ends its group: bytes its `contigDone` returns
        // (written after the group's) come before those of the next contigs' ranges.
        if (range.last && range.contigFrom > 0) {
          yield this.launch(group);
          group = [];
          groupRows = 0;
        }
      }
      if (source.streamed) {
        if (group.length > 0) yield this.launch(group);
        group = [];
        groupRows = 0;
        yield DRAIN;
      }
    }
    if (group.length > 0) yield this.launch(group);
  }

  /**
   * The source's units, with spans of small contigs among them when the source is a loaded
   * matrix and the conversion takes spans (see `ContigSpan`): the conversion has then begun, with
   * the first contig.
   */
  private async spanned(source: ContigSource): Promise<Iterator<ContigUnit | ContigSpan> | AsyncIterator<ContigUnit | ContigSpan>> {
    const { loaded } = source;
    const { spans, collectSpan, spanDone, task, ungrouped } = this.conversion;
    if (!loaded || !spans || !(collectSpan || spanDone) || !task || ungrouped) return source.units();
    const { layout } = loaded;
    const table = batchTable(layout);
    if (table.length === 0) return source.units();
    const first = memoryUnit(layout, 0, contigEnd(table, 0), 0, 0);
    this.begun = true;
    await this.write(await this.conversion.begin?.(first));
    const limits = spans.call(this.conversion, first);
    if (!limits) return source.units();
    this.spanLimits = limits;
    return spanUnits(layout, limits, first);
  }

  /** The group task of a span (task-group.ts `spanGroup`): encoding tasks are lent an output slot, as in `launch`. */
  private launchSpan(span: ContigSpan): WindowTask<Flight> {
    const limits = this.spanLimits as SpanLimits;
    const head = (this.conversion.task as (range: RangeTask) => T)(contigRanges(span.unit, span.rows)[0] as RangeTask);
    const encodes = 'encodes' in head;
    const slotBytes = limits.contigBytes === undefined ? (limits.slotBytes ?? this.replyBytes) : Math.max(limits.slotBytes ?? 0, limits.contigBytes * span.count);
    const slot = encodes ? this.lendSlot([head as EncodingTask], slotBytes) : undefined;
    const joined = this.conversion.collectJoined !== undefined || (limits.joined === true && !this.options.bgzf);
    const group = spanGroup(head, span.layout, span.first, span.count, { joined, contigField: limits.contigField });
    return (signal) =>
      this.options.pool.runSpan(group, signal).then((reply) => ({
        ranges: [],
        span,
        results: joined ? [reply] : (reply as GroupResult).results,
        joined,
        bytes: encodes ? this.bytesOf(reply as HandedBack, slot) : undefined,
        slot,
      }));
  }

  /** The task of some ranges: one worker task, or a group of them; an encoding one is lent an output slot. */
  private launch(ranges: RangeTask[]): WindowTask<Flight> {
    const tasks = ranges.map((range) => (this.conversion.task as (range: RangeTask) => T)(range));
    let slot: Uint8Array | undefined;
    const encodes = tasks.length > 0 && 'encodes' in (tasks[0] as WorkerTask);
    if (encodes) {
      // A kernel that writes into its slot has it sized by `slotBytes` (the tasks of a group write
      // it one after the other: it fits the largest range).
      const { slotBytes } = this.conversion;
      slot = this.lendSlot(tasks as EncodingTask[], slotBytes ? ranges.reduce((most, range) => Math.max(most, slotBytes(range)), 0) : this.replyBytes);
    }
    const { pool } = this.options;
    const joined = tasks.length > 1 && this.conversion.collectJoined !== undefined;
    const alone = (result: unknown): Flight => ({ ranges, results: [result], joined, bytes: encodes ? this.bytesOf(result as HandedBack, slot) : undefined, slot });
    if (tasks.length === 1) return (signal) => pool.run(tasks[0] as T, signal).then(alone);
    if (joined) return (signal) => pool.runJoined(tasks, signal).then(alone);
    return (signal) => pool.runGroup(tasks, signal).then((group: GroupResult) => ({ ranges, results: group.results, joined, bytes: encodes ? this.bytesOf(group as HandedBack, slot) : undefined, slot }));
  }

  /**
   * An output slot of at least `bytes` for encoding tasks, and the tasks set to encode into it.
   * Every encoding task (or group, or span) gets one: the bytes handed back go there when they fit,
   * else come in a buffer of their own and the next slots are made larger. Slots are reused, so
   * the bytes of a run leave no garbage.
   */
  private lendSlot(tasks: readonly EncodingTask[], bytes: number): Uint8Array {
    let slot = this.slots.pop();
    if (!slot || slot.length < bytes) slot = hugePageBytes(bytes);
    for (const task of tasks) {
      task.encodes = true;
      task.bgzf = this.options.bgzf ?? false;
      if (this.options.level !== undefined) task.level = this.options.level;
      task.output = slot;
    }
    return slot;
  }

  /** Consumes a done task or group, in genome order: its bytes to the sink, its results to the conversion. */
  private async consume(flight: Flight): Promise<void> {
    const { results, bytes, span } = flight;
    if (bytes && bytes.length > 0) await this.options.sink?.write(bytes); // BGZF already, when asked for: the worker compressed it
    if (flight.slot) this.slots.push(flight.slot);
    if (span) {
      this.conversion.collectSpan?.(results as ResultOf<T>[], span);
      this.options.onRange?.(span.rows, span.count);
      return;
    }
    if (flight.joined) this.conversion.collectJoined?.(results[0] as ResultOf<T>, flight.ranges);
    for (let i = 0; i < flight.ranges.length; i++) {
      const range = flight.ranges[i] as RangeTask;
      if (!flight.joined) this.conversion.collect?.(results[i] as ResultOf<T>, range);
      if (range.last) {
        const done = this.contigDone(range.unit);
        if (done) await done;
      }
      this.options.onRange?.(range.to - range.from, range.last ? 1 : 0);
    }
  }

  /**
   * The conversion's `contigDone` of a unit, its bytes written: a promise only when there is
   * something to wait for (most contigs of most conversions return nothing, and an await per
   * contig is a promise per contig).
   */
  private contigDone(unit: ContigUnit): Promise<void> | undefined {
    const done = this.conversion.contigDone?.(unit);
    if (done instanceof Promise) return done.then((bytes) => this.write(bytes ?? undefined));
    return done ? this.write(done) : undefined;
  }

  /** Writes bytes to the sink, as BGZF blocks compressed in a worker when asked for. */
  private async write(bytes: Uint8Array | undefined): Promise<void> {
    const { sink } = this.options;
    if (!sink || !bytes || bytes.length === 0) return;
    if (this.options.bgzf) bytes = (await this.options.pool.run({ kind: 'bgzf', bytes, level: this.options.level }, this.options.signal)).bytes;
    await sink.write(bytes);
  }

  /**
   * The bytes of an encoding task or group: at the start of its slot, or their own when they did
   * not fit it (the next slots are then made a quarter larger than they were: few sizes, each once).
   */
  private bytesOf(handed: HandedBack, slot: Uint8Array | undefined): Uint8Array {
    if (!('bytes' in handed)) return (slot as Uint8Array).subarray(0, handed.length);
    if (!this.conversion.slotBytes) this.replyBytes = Math.max(this.replyBytes, Math.ceil((handed.bytes.length * 1.25) / SLOT_ALIGNMENT) * SLOT_ALIGNMENT);
    return handed.bytes;
  }
}

/**
 * The row ranges of a contig unit: cut at multiples of `chunkRows` from the contig's first row and
 * at its batches' ends, the last one marked.
 */
export function contigRanges(unit: ContigUnit, chunkRows: number): RangeTask[] {
  const ranges: RangeTask[] = [];
  let offset = 0;
  for (const batch of unit.layout.batches) {
    let from = 0;
    while (from < batch.rows) {
      const contigFrom = offset + from;
      const to = Math.min(batch.rows, from + (chunkRows - (contigFrom % chunkRows)));
      ranges.push({ unit, batch, from, to, contigFrom, last: false });
      from = to;
    }
    offset += batch.rows;
  }
  const last = ranges[ranges.length - 1];
  if (last) last.last = true;
  else ranges.push({ unit, batch: unit.layout.batches[0] ?? { contig: 0, rows: 0, pos: { buffer: 0, byteOffset: 0 }, ref: { buffer: 0, byteOffset: 0 }, haplotypes: [] }, from: 0, to: 0, contigFrom: 0, last: true });
  return ranges;
}

/**
 * A loaded matrix's contigs in order: spans of small ones (each one batch of at most `limits.rows`
 * rows, a span at most `limits.rows` rows and `limits.contigs` contigs, or as many as `groupFull`
 * allows, over one column set: `spanEnd`; a packed matrix's checked batches go as units), units of
 * the others. `first`: the first contig's unit, made already.
 */
function* spanUnits(layout: MatrixLayout, limits: SpanLimits, first: ContigUnit): Generator<ContigUnit | ContigSpan> {
  // The batch table's numbers, not the batch objects (a text load makes none: layout/batch-table.ts).
  const table = batchTable(layout);
  let index = 0;
  let rowStart = 0;
  for (let b = 0; b < table.length; ) {
    const spanned = spanEnd(table, b, limits);
    if (spanned > b) {
      const rows = spanRows;
      yield { unit: index === 0 ? first : memoryUnit(layout, b, b + 1, index, rowStart), layout, first: b, count: spanned - b, rows };
      index += spanned - b;
      rowStart += rows;
      b = spanned;
      continue;
    }
    const end = contigEnd(table, b);
    const start = rowStart;
    for (let c = b; c < end; c++) rowStart += table.rows[c] as number;
    yield index === 0 ? first : memoryUnit(layout, b, end, index, start);
    index++;
    b = end;
  }
}

/** The rows of the span `spanEnd` found last. */
let spanRows = 0;

/**
 * The end of the span that starts at batch `b` (`spanRows`: its rows): the small contigs from `b`
 * on (each one batch of at most `limits.rows` rows, with no checks, over `b`'s column set), until
 * the span is full; `b` when `b`'s contig is no small one. A loop of its own, small: as the
 * generator's loop over 100,000 contigs, it cost the main thread two optimising compiles of the
 * generator, of 17-21 ms each, while the workers waited for their first spans.
 */
function spanEnd(table: BatchTable, b: number, limits: SpanLimits): number {
  const set = table.set[b];
  // A text load's batches share one column set and carry no checks: their numbers not read.
  const oneSet = table.sets.length === 1;
  const checked = table.objects !== undefined;
  const most = limits.contigs;
  let rows = 0;
  let k = b;
  for (; k < table.length; k++) {
    const contigRows = table.rows[k] as number;
    const small = contigRows > 0 && contigRows <= limits.rows && (oneSet || table.set[k] === set) && table.contig[k + 1] !== table.contig[k] && !(checked && batchChecked(table, k));
    const full = k > b && (most === undefined ? groupFull(k - b, rows) : k - b >= most);
    if (!small || full || rows + contigRows > limits.rows) break;
    rows += contigRows;
  }
  spanRows = rows;
  return k;
}
