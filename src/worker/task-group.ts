// A group of range tasks run as one message: the driver (dispatch/drive.ts) puts the ranges of
// small contigs together, so that 20,000 contigs of 20 sites cost a few dozen posts, replies and
// output writes instead of 20,000 of each. Each task of the group runs exactly as it would alone,
// its encoded bytes (BGZF blocks of its own, when asked for) copied out in order, so the output is
// the same bytes as one task per range.

import { appendGroupBytes, encodedBytes, handBack } from './bgzf-task.js';
import { rowRuns, type SharedRows, type SpanRows } from './shared-views.js';
import type { BatchCheck } from '../layout/batch-check.js';
import { batchTable, spanTable, type ColumnSet, type SpanTable } from '../layout/batch-table.js';
import { sharedFloat64 } from '../layout/shared-numbers.js';
import { nativeSpanTasks, type SpanTasksBinding } from '../native.js';
import { batchViews, type BatchLayout, type BufferRef, type MatrixLayout } from '../layout/matrix-layout.js';
import type { WorkerTask } from './kernels.js';
import type { EncodedChunk, EncodingTask, RangeColumns, TransferredChunk } from './messages.js';

/**
 * Range tasks of one kernel, run one after the other by one worker. A group of 4,000 small contigs
 * as 4,000 task objects (a batch of 31 haplotypes is 33 column objects more) cost more to post and
 * to receive than to run. So what the tasks share goes once: their common fields (`common`) and
 * each set of column references their batches share (`sets`: a loaded text matrix has one for all
 * its contigs); what is each task's own goes as numbers (`ranges`) and names (`names`), and the
 * worker makes the tasks again (`restoreTasks`).
 *
 * The numbers of a group and of its reply are in SharedArrayBuffers, and the names are one string:
 * posting a span of 512 contigs and receiving it cost 85 us for its ranges in a Float64Array of
 * its own and 26-84 us for its names as 512 strings, against 2-4 us each this way (a typed array's
 * clone copies it into the serializer's buffer and out again; a SharedArrayBuffer is passed as is).
 */
export interface TaskGroup {
  kind: 'group';
  /** The fields of the group's first range task, without those of its range (`RANGE_FIELDS`). */
  common: Record<string, unknown>;
  /**
   * `RANGE_NUMBERS` numbers per task, in order: its batch's column set (-1 for a task without a
   * batch, which goes whole in `own`), contig index, rows and first row, the task's `from` and
   * `to`, and the length of its contig's name in `names`.
   */
  ranges: Float64Array;
  /** The column sets, one after the other: the number of haplotypes, then buffer and byte offset of POS, REF and each haplotype. */
  sets: Float64Array;
  /** The tasks' contig names, one after the other (none for a task without a batch). */
  names: string;
  /**
   * A span's tasks as a reference instead (`spanGroup`): batches `[first, first + count)` of the
   * layout's span table, each one contig, whole, over the group's one column set. The worker makes
   * `ranges` and `names` of it (`withRanges`); the message holds neither.
   */
  span?: { table: SpanTable; first: number; count: number };
  /**
   * Each task's fields that differ from `common` (a contig's FASTA sequence, a task without a batch:
   * all of it), or 0; absent when no task has any (a span's 512 zeros were half its message's clone).
   */
  own?: (Record<string, unknown> | 0)[];
  /**
   * Such fields that are numbers, one array per field, NaN for a task that has the common value
   * (`pack`'s contig code): an array of numbers to copy, not an object per task to clone.
   */
  ownNumbers?: Record<string, Float64Array>;
  /** The packed file's checks of the tasks' batches, when any has one. */
  checks?: (BatchCheck | 0)[];
  /** One task sent this way only for its columns: it runs, and its result comes back, as alone. */
  single?: true;
  /** The tasks run together through their kernel's joined form (kernels.ts `joinedKernels`): one result for the group. */
  joined?: true;
}

/** Numbers per task in `TaskGroup.ranges`. */
export const RANGE_NUMBERS = 7;

/** `numbers` in shared memory, which a message passes without a copy. */
function sharedCopyOf(numbers: readonly number[]): Float64Array {
  const shared = sharedFloat64(numbers.length);
  shared.set(numbers);
  return shared;
}

/** The fields of a range task that are its range's own. */
const RANGE_FIELDS = new Set(['batch', 'contig', 'from', 'to']);

/**
 * The group message of `tasks` (see `TaskGroup`); `single`: the message of one task, whose
 * columns travel the same way (a batch of 2,000 haplotypes would be 2,000 objects to clone);
 * `joined`: a group run by its kernel's joined form.
 */
export function taskGroup(tasks: readonly WorkerTask[], mode?: 'single' | 'joined'): TaskGroup {
  const ranges = sharedFloat64(RANGE_NUMBERS * tasks.length);
  const sets: number[] = [];
  const names: string[] = [];
  const own: (Record<string, unknown> | 0)[] = [];
  let checks: (BatchCheck | 0)[] | undefined;
  let ownNumbers: Record<string, Float64Array> | undefined;
  const common = commonFields(tasks.find((task) => 'batch' in task));
  let last: BatchLayout | undefined;
  let set = -1;
  for (let k = 0; k < tasks.length; k++) {
    const task = tasks[k] as WorkerTask;
    const at = RANGE_NUMBERS * k;
    if (!('batch' in task)) {
      ranges[at] = -1;
      own.push(task as unknown as Record<string, unknown>);
      continue;
    }
    const { batch } = task;
    if (!last || batch.pos !== last.pos || batch.ref !== last.ref || batch.haplotypes !== last.haplotypes) {
      set = sets.length;
      pushColumnSet(sets, batch);
      last = batch;
    }
    setRange(ranges, at, set, batch.contig, batch.rows, batch.row ?? 0, task.from, task.to, task.contig.length);
    names.push(task.contig);
    own.push(ownFields(task as unknown as Record<string, unknown>, common, (key, value) => (((ownNumbers ??= {})[key] ??= sharedFloat64(tasks.length).fill(NaN))[k] = value)));
    if (batch.check) (checks ??= new Array<BatchCheck | 0>(tasks.length).fill(0))[k] = batch.check;
  }
  const group: TaskGroup = { kind: 'group', common, ranges, sets: sharedCopyOf(sets), names: names.join('') };
  if (own.some((fields) => fields !== 0)) group.own = own;
  if (checks) group.checks = checks;
  if (ownNumbers) group.ownNumbers = ownNumbers;
  if (mode === 'single') group.single = true;
  if (mode === 'joined') group.joined = true;
  return group;
}

/**
 * The group message of a span of whole contigs (dispatch/conversion.ts `ContigSpan`): batches
 * `[first, first + count)` of `layout`, each one contig over the same column set, as the tasks
 * `head` (a task of the first one's range) with each contig's own range; `contigField`: a field
 * each task holds its contig's index in.
 *
 * A joined span refers to the layout's span table, whatever its size: its kernel's span form reads
 * the table itself (`spanRows`), and the worker makes of it the message `taskGroup` would make of
 * those tasks otherwise (`withRanges`). Such a span's kernel writes its contigs' lines at a cost
 * per row, and the main thread, which makes the spans, is what the workers wait for. A span of
 * tasks run one by one (the VCF's, any with BGZF output) is that message, made here from the same
 * table (`tableRanges`): its kernel's work per contig keeps the workers busy, and made there, its
 * numbers and names took `vcf` of 100,000 contigs 1.04x the time (8 pairs) while the main thread
 * waited.
 */
export function spanGroup(head: WorkerTask, layout: MatrixLayout, first: number, count: number, options: { joined: boolean; contigField?: string | undefined }): TaskGroup {
  const common = commonFields(head);
  // The span's column references are the layout's own (`rangeColumns` may have renumbered the head's).
  common.buffers = layout.buffers;
  // The batch table's numbers: a text load makes no batch objects (layout/batch-table.ts).
  const table = batchTable(layout);
  const sets: number[] = [];
  pushColumnSet(sets, table.sets[table.set[first] as number] as ColumnSet);
  const group: TaskGroup = { kind: 'group', common, ranges: NO_RANGES, sets: sharedCopyOf(sets), names: '' };
  if (options.joined) group.span = { table: spanTable(layout), first, count };
  else {
    group.ranges = sharedFloat64(RANGE_NUMBERS * count);
    group.names = tableRanges(spanTable(layout), first, group.ranges);
  }
  // A view of the shared table: posted as a reference, read as the span's own numbers.
  if (options.contigField !== undefined) group.ownNumbers = { [options.contigField]: table.contig.subarray(first, first + count) };
  if (options.joined) group.joined = true;
  return group;
}

/** The `ranges` of a joined span's message: the worker makes them (`withRanges`). */
const NO_RANGES = new Float64Array(0);

/**
 * `group` with its `ranges` and `names`: a joined span's (`spanGroup`) made in the worker from the
 * layout's span table and set on the message itself; any other group as it came. Of a joined
 * span, only one its kernel's span form does not take comes here whole (the haplotype table and
 * the statistics without the binding, or with alleles the binding does not write), and the first
 * contig of one it takes (`tableSpanRows`).
 */
export function withRanges(group: TaskGroup): TaskGroup {
  const { span } = group;
  if (!span) return group;
  const { table, first, count } = span;
  const ranges = new Float64Array(RANGE_NUMBERS * count);
  group.names = tableRanges(table, first, ranges);
  group.ranges = ranges;
  group.span = undefined;
  return group;
}

/**
 * The `ranges` and `names` of the tasks of batches `[first, first + ranges.length / RANGE_NUMBERS)`
 * of a span table, each a whole contig, as `taskGroup` makes them: `ranges` filled, the names returned.
 */
function tableRanges(table: SpanTable, first: number, ranges: Float64Array): string {
  return spanNames(table, first, ranges, spanRanges(table, first, ranges));
}

/**
 * Fills a span's `ranges` (`RANGE_NUMBERS` a contig) from its table; returns the bytes its names
 * span in the table's (from the first one's first to the last one's end, whatever their order).
 * A loop of its own, compiled alone.
 */
function spanRanges(table: SpanTable, first: number, ranges: Float64Array): { from: number; to: number; bytes: number } {
  const { contig, rows, row, nameStart, nameLength } = table;
  let from = Infinity;
  let to = 0;
  let bytes = 0;
  for (let k = 0, count = ranges.length / RANGE_NUMBERS; k < count; k++) {
    const b = first + k;
    const c = contig[b] as number;
    const start = nameStart[c] as number;
    const length = nameLength[c] as number;
    from = Math.min(from, start);
    to = Math.max(to, start + length);
    bytes += length;
    // The name's length in characters: its bytes for an ASCII name (others: `spanNames`).
    setRange(ranges, RANGE_NUMBERS * k, 0, c, rows[b] as number, row[b] as number, 0, rows[b] as number, length);
  }
  return { from, to, bytes };
}

/**
 * The names of a span's contigs, one after the other, for its `ranges` (whose name lengths are
 * set here when not all names are ASCII). ASCII names that lie close together in the table's
 * bytes (a text load's: one after the other, a tab between) are read as one string, and each
 * taken from it.
 */
function spanNames(table: SpanTable, first: number, ranges: Float64Array, span: { from: number; to: number; bytes: number }): string {
  const { contig, names, nameStart, ascii } = table;
  const count = ranges.length / RANGE_NUMBERS;
  const text = Buffer.from(names.buffer, names.byteOffset, names.byteLength);
  const parts = new Array<string>(count);
  if (ascii && span.to - span.from <= 2 * (span.bytes + count)) {
    const all = text.toString('latin1', span.from, span.to);
    for (let k = 0; k < count; k++) {
      const start = (nameStart[contig[first + k] as number] as number) - span.from;
      parts[k] = all.slice(start, start + (ranges[RANGE_NUMBERS * k + 6] as number));
    }
    return parts.join('');
  }
  for (let k = 0; k < count; k++) {
    const c = contig[first + k] as number;
    const start = nameStart[c] as number;
    const name = text.toString(ascii ? 'latin1' : 'utf8', start, start + (ranges[RANGE_NUMBERS * k + 6] as number));
    parts[k] = name;
    ranges[RANGE_NUMBERS * k + 6] = name.length;
  }
  return parts.join('');
}

/** The fields of a range task that its group's tasks share: all but its range's own (`RANGE_FIELDS`). */
function commonFields(head: object | undefined): Record<string, unknown> {
  const fields = head as Record<string, unknown> | undefined;
  const common: Record<string, unknown> = {};
  for (const key in fields) if (!RANGE_FIELDS.has(key)) common[key] = fields[key];
  return common;
}

/** Appends a batch's column references to a group's `sets`: the number of haplotypes, then buffer and byte offset of POS, REF and each haplotype. */
function pushColumnSet(sets: number[], { pos, ref, haplotypes }: ColumnSet): void {
  sets.push(haplotypes.length, pos.buffer, pos.byteOffset, ref.buffer, ref.byteOffset);
  for (const column of haplotypes) sets.push(column.buffer, column.byteOffset);
}

/** Writes a task's `RANGE_NUMBERS` numbers at `at` of a group's `ranges`: its column set, its batch's contig, rows and first row, its rows `[from, to)`, and its contig name's length. */
function setRange(ranges: Float64Array, at: number, set: number, contig: number, rows: number, row: number, from: number, to: number, nameLength: number): void {
  ranges[at] = set;
  ranges[at + 1] = contig;
  ranges[at + 2] = rows;
  ranges[at + 3] = row;
  ranges[at + 4] = from;
  ranges[at + 5] = to;
  ranges[at + 6] = nameLength;
}

/**
 * The fields of `task` that `common` does not hold alike, or 0 when there are none; those whose
 * values are numbers go to `number` instead (`TaskGroup.ownNumbers`).
 */
function ownFields(task: Record<string, unknown>, common: Record<string, unknown>, number: (key: string, value: number) => void): Record<string, unknown> | 0 {
  let fields: Record<string, unknown> | 0 = 0;
  for (const key in task) {
    const value = task[key];
    if (RANGE_FIELDS.has(key) || value === common[key]) continue;
    if (typeof value === 'number' && !Number.isNaN(value)) number(key, value);
    else (fields ||= {})[key] = value;
  }
  for (const key in common) if (!(key in task)) (fields ||= {})[key] = undefined;
  return fields;
}

/** The column references of a group's column set at `at` in `sets`, made once per set. */
function columnSet(sets: Float64Array, at: number): ColumnSet {
  const take = (): BufferRef => ({ buffer: sets[at++] as number, byteOffset: sets[at++] as number });
  const count = sets[at++] as number;
  const pos = take();
  const ref = take();
  const haplotypes = new Array<BufferRef>(count);
  for (let h = 0; h < count; h++) haplotypes[h] = take();
  return { pos, ref, haplotypes };
}

/** What a group's restored tasks share: the group message and its column sets, made once each. */
interface Restoring {
  group: TaskGroup;
  columns: (set: number) => ColumnSet;
}

/** Where a restored task finds what its group shares, and its place in the group (symbols: no task field can hide them). */
const RESTORING = Symbol('restoring');
const INDEX = Symbol('index');

/**
 * A range task made again in the worker: the group's common fields copied in (in one order, so
 * that every task of a conversion has one hidden class and the kernels' property reads stay
 * monomorphic), its range's fields, and its batch made from the group's numbers when a kernel
 * first reads it (a kernel reading shared views never does).
 */
class RestoredTask {
  declare contig: string;
  declare from: number;
  declare to: number;
  declare [RESTORING]: Restoring;
  declare [INDEX]: number;

  constructor(common: Record<string, unknown>, contig: string, from: number, to: number, restoring: Restoring, index: number) {
    Object.assign(this, common);
    // Stored one by one: `Object.assign` of an object literal (with symbol keys) took 0.8 us a
    // task, ten times these stores, and a span of 512 small contigs restores 512 tasks.
    this.contig = contig;
    this.from = small(from);
    this.to = small(to);
    this[RESTORING] = restoring;
    this[INDEX] = index;
  }

  get batch(): BatchLayout {
    const { group, columns } = this[RESTORING];
    const index = this[INDEX];
    const batch = batchAt(group, index, columns(group.ranges[RANGE_NUMBERS * index] as number));
    Object.defineProperty(this, 'batch', { value: batch });
    return batch;
  }
}

/** The batch of task `index` of `group`, over its column set `columns`. */
function batchAt(group: TaskGroup, index: number, { pos, ref, haplotypes }: ColumnSet): BatchLayout {
  const at = RANGE_NUMBERS * index;
  const { ranges } = group;
  const batch: BatchLayout = { contig: small(ranges[at + 1] as number), rows: small(ranges[at + 2] as number), row: small(ranges[at + 3] as number), pos, ref, haplotypes };
  const check = group.checks?.[index];
  if (check) batch.check = check;
  return batch;
}

/**
 * `x` as a small integer when it is one. A number read from a Float64Array (a group's `ranges`)
 * reaches the functions it is passed to as a heap number, and code V8 compiled for small integers
 * is thrown away at the first one and compiled again: the VCF kernel's deletion code was, function
 * after function ("not a Smi", then "wrong map" for the objects made of such numbers).
 */
function small(x: number): number {
  return (x | 0) === x ? x | 0 : x;
}

/** A group's tasks made again (in the worker), and the shared rows of those that have them. */
export interface RestoredGroup {
  tasks: WorkerTask[];
  shared: (SharedRows | undefined)[];
}

/** What the tasks restored from `group` share: the message, and its column sets made once each. */
function restoringOf(group: TaskGroup): Restoring {
  const made = new Map<number, ColumnSet>();
  return {
    group,
    columns: (set) => {
      let columns = made.get(set);
      if (!columns) made.set(set, (columns = columnSet(group.sets, set)));
      return columns;
    },
  };
}

/**
 * The group's tasks as `SpanRows`, when they can be: all of them range tasks over one column set,
 * each at or after the first one's rows (one run of shared views, as `restoreTasks` would make
 * them), none with fields, numbers or checks of its own; else undefined.
 */
export function spanRows(group: TaskGroup): SpanRows<WorkerTask> | undefined {
  const { ranges, own, checks, ownNumbers, span } = group;
  if (own || checks || ownNumbers) return undefined;
  if (span) return tableSpanRows(group, span);
  const count = ranges.length / RANGE_NUMBERS;
  if (count === 0) return undefined;
  if ((ranges[0] as number) < 0) return undefined;
  const numbers = spanScratch(count);
  const names = Buffer.from(group.names, 'utf8');
  const rows = spanNumbers(ranges, group.names, names.length === group.names.length, numbers);
  if (rows < 0) return undefined;
  const head = new RestoredTask(group.common, group.names.slice(0, ranges[6] as number), ranges[4] as number, ranges[5] as number, restoringOf(group), 0) as unknown as RangeTaskFields & WorkerTask;
  return { head, views: batchViews(head, head.batch, head.from, Math.max(head.to, head.from + rows)), numbers, names };
}

/** The numbers of this thread's span kernels (`SpanRows.numbers`), kept from span to span. */
let spanNumberScratch = new Float64Array(0);

/**
 * Room for the numbers of a span of `count` tasks: a view of this thread's scratch, grown when it
 * is too small. A span kernel reads them before it returns (a span is run synchronously, one at a
 * time on a thread), and a new array per span was new memory each time: 100,000 contigs' 3.2 MB,
 * whose first touch cost the workers 12 ms (profiles).
 */
function spanScratch(count: number): Float64Array {
  if (spanNumberScratch.length < 4 * count) spanNumberScratch = new Float64Array(Math.max(4 * count, 2 * spanNumberScratch.length));
  return spanNumberScratch.subarray(0, 4 * count);
}

/**
 * `spanRows` of a span's message (`spanGroup`), straight from the layout's span table: its names
 * are the table's bytes, and only the first contig's task is made.
 */
function tableSpanRows(group: TaskGroup, { table, first, count }: NonNullable<TaskGroup['span']>): SpanRows<WorkerTask> | undefined {
  if (count === 0) return undefined;
  const numbers = spanScratch(count);
  const rows = tableNumbers(table, first, numbers);
  if (rows < 0) return undefined;
  const one = withRanges({ ...group, span: { table, first, count: 1 } });
  const { ranges } = one;
  const head = new RestoredTask(group.common, one.names, ranges[4] as number, ranges[5] as number, restoringOf(one), 0) as unknown as RangeTaskFields & WorkerTask;
  return { head, views: batchViews(head, head.batch, head.from, Math.max(head.to, head.from + rows)), numbers, names: table.names };
}

/**
 * Fills `numbers` for `tableSpanRows` from the span table's batches from `first` on; returns the
 * rows the views must hold, or -1 when a batch starts before the first one's rows. The binding's
 * loop when it is built (`native`), else a loop of its own: run once per contig in each worker,
 * mostly before V8 had optimised it, this loop took the workers 12-15 ms of CPU for 100,000
 * contigs (profiles of `haplotype`, which took 0.985x the time, 0.979x the CPU with the binding's).
 */
export function tableNumbers(table: SpanTable, first: number, numbers: Float64Array, native: SpanTasksBinding | null = nativeSpanTasks ?? null): number {
  const { contig, rows: batchRows, row, nameStart, nameLength } = table;
  if (native) return native.tableTasks(row, batchRows, contig, nameStart, nameLength, first, numbers);
  const start = row[first] as number;
  let rows = 0;
  for (let k = 0, count = numbers.length / 4; k < count; k++) {
    const b = first + k;
    const from = (row[b] as number) - start;
    if (from < 0) return -1;
    const c = contig[b] as number;
    const i = 4 * k;
    numbers[i] = from;
    numbers[i + 1] = batchRows[b] as number;
    numbers[i + 2] = nameStart[c] as number;
    numbers[i + 3] = nameLength[c] as number;
    rows = Math.max(rows, from + (batchRows[b] as number));
  }
  return rows;
}

/**
 * Fills `numbers` for `spanRows` from a group's `ranges` and `names` (`ascii`: each name's bytes
 * are its characters); returns the rows the views must hold, or -1 when a range is over another
 * column set or before the first one's rows. A function of its own, so that V8 compiles its loop
 * alone: compiled mid-loop inside `spanRows`, the code was thrown away at the calls after the loop.
 */
function spanNumbers(ranges: Float64Array, names: string, ascii: boolean, numbers: Float64Array): number {
  const set = ranges[0] as number;
  const start = (ranges[3] as number) + (ranges[4] as number);
  let rows = 0;
  let name = 0;
  let offset = 0;
  for (let k = 0, count = numbers.length / 4; k < count; k++) {
    const at = RANGE_NUMBERS * k;
    const from = (ranges[at + 3] as number) + (ranges[at + 4] as number);
    if (ranges[at] !== set || from < start) return -1;
    const length = ranges[at + 6] as number;
    const bytes = ascii ? length : Buffer.byteLength(names.slice(name, name + length), 'utf8');
    const i = 4 * k;
    numbers[i] = from - start;
    numbers[i + 1] = (ranges[at + 5] as number) - (ranges[at + 4] as number);
    numbers[i + 2] = offset;
    numbers[i + 3] = bytes;
    rows = Math.max(rows, (numbers[i] as number) + (numbers[i + 1] as number));
    name += length;
    offset += bytes;
  }
  return rows;
}

/** Makes the tasks of a group message again (in the worker), with the views runs of them share (worker/shared-views.ts). */
export function restoreTasks(message: TaskGroup): RestoredGroup {
  const group = withRanges(message);
  const { ranges, names, own, common, checks, ownNumbers } = group;
  const restoring = restoringOf(group);
  const tasks = new Array<WorkerTask>(ranges.length / RANGE_NUMBERS);
  let name = 0;
  for (let k = 0; k < tasks.length; k++) {
    const at = RANGE_NUMBERS * k;
    const fields = own?.[k];
    if ((ranges[at] as number) < 0) {
      tasks[k] = fields as unknown as WorkerTask;
      continue;
    }
    const contig = names.slice(name, (name += ranges[at + 6] as number));
    const task = new RestoredTask(common, contig, ranges[at + 4] as number, ranges[at + 5] as number, restoring, k);
    if (ownNumbers) {
      for (const key in ownNumbers) {
        const value = (ownNumbers[key] as Float64Array)[k] as number;
        if (!Number.isNaN(value)) (task as unknown as Record<string, unknown>)[key] = value;
      }
    }
    tasks[k] = (fields ? Object.assign(task, fields) : task) as unknown as WorkerTask;
  }
  const runs = rowRuns(ranges, RANGE_NUMBERS, (k) => !checks?.[k] && !(own?.[k] && 'buffers' in (own[k] as object)));
  const shared = new Array<SharedRows | undefined>(tasks.length).fill(undefined);
  for (let k = 0; k < tasks.length; k++) {
    if (runs.head[k] !== k) continue;
    let end = k + 1;
    let rows = 0;
    for (; end < tasks.length && runs.head[end] === k; end++) rows = Math.max(rows, (runs.row[end] as number) + (tasks[end] as RangeTaskFields).to - (tasks[end] as RangeTaskFields).from);
    const head = tasks[k] as RangeTaskFields;
    const views = batchViews(head, head.batch, head.from, Math.max(head.to, head.from + rows));
    for (let j = k; j < end; j++) shared[j] = { views, row: runs.row[j] as number };
  }
  return { tasks, shared };
}

/** What a range task holds of its range. */
type RangeTaskFields = Pick<RangeColumns, 'buffers' | 'batch' | 'from' | 'to'>;

/** What a group gives back: each task's result in order; for encoding tasks, their bytes one after the other. */
export interface GroupResult<R = unknown> {
  results: R[];
  /** The encoded bytes of every task, in order (encoding tasks only, when they did not fit the tasks' output slot). */
  bytes?: Uint8Array;
  /** Else the length of those bytes, at the start of the slot. */
  length?: number;
}

/** An encoding task's result in a group: its lines, warnings and data, its bytes gone into the group's. */
type GroupedChunk = Omit<TransferredChunk, 'bytes'> & { length: number };

/**
 * A group's reply as the worker sends it: encoding tasks' results as numbers, `REPLY_NUMBERS` per
 * task (the length of its bytes, its lines, its star runs or -1), and the data of those that have
 * any (`stats`' counts), not an object per task: for 20,000 small contigs, 20,000 objects to
 * clone in the worker and to read again on the main thread. `groupResult` makes the tasks' results
 * from it on the main thread.
 */
export interface GroupReply {
  /** The results of a group of tasks that do not encode, as they are. */
  results?: unknown[];
  numbers?: Float64Array;
  /** Each encoding task's data, or undefined (absent when no task has any). */
  data?: unknown[];
  bytes?: Uint8Array;
  length?: number;
}

/** Numbers per encoding task in `GroupReply.numbers`. */
const REPLY_NUMBERS = 3;

/** The results of a group's tasks, made from the worker's reply (on the main thread). */
export function groupResult(reply: GroupReply): GroupResult {
  const { numbers, data } = reply;
  const group: GroupResult = { results: reply.results ?? [] };
  if (reply.bytes !== undefined) group.bytes = reply.bytes;
  if (reply.length !== undefined) group.length = reply.length;
  if (!numbers) return group;
  const results = (group.results = new Array<GroupedChunk>(numbers.length / REPLY_NUMBERS));
  for (let k = 0; k < results.length; k++) {
    const at = REPLY_NUMBERS * k;
    const chunk: GroupedChunk = { length: numbers[at] as number, lines: numbers[at + 1] as number };
    const starRuns = numbers[at + 2] as number;
    if (starRuns >= 0) chunk.starRuns = starRuns;
    const more = data?.[k];
    if (more !== undefined) chunk.data = more;
    results[k] = chunk;
  }
  return group;
}

/**
 * Runs each task of `group` through `run` (its kernel), gathering encoded bytes. Tasks over one
 * column set get shared views (worker/shared-views.ts), which a kernel may read instead of making
 * its own.
 */
export async function runTaskGroup(group: TaskGroup, run: (task: WorkerTask, rows?: SharedRows) => unknown): Promise<GroupReply> {
  const { tasks, shared } = restoreTasks(group);
  const results: unknown[] = [];
  const numbers = sharedFloat64(REPLY_NUMBERS * tasks.length);
  let data: unknown[] | undefined;
  let out: Uint8Array = new Uint8Array(0);
  let length = 0;
  let encodes = false;
  for (let k = 0; k < tasks.length; k++) {
    const task = tasks[k] as WorkerTask;
    let result = run(task, shared[k]);
    if (result instanceof Promise) result = await result;
    if (!('encodes' in task && task.encodes)) {
      results.push(result);
      continue;
    }
    encodes = true;
    // Copied at once: a slot or a kernel's scratch is reused by the next task.
    const bytes = encodedBytes(task, result as EncodedChunk | TransferredChunk);
    out = appendGroupBytes(length, bytes);
    length += bytes.length;
    const chunk = result as TransferredChunk;
    const at = REPLY_NUMBERS * k;
    numbers[at] = bytes.length;
    numbers[at + 1] = chunk.lines;
    numbers[at + 2] = chunk.starRuns ?? -1;
    if (chunk.data !== undefined) (data ??= new Array<unknown>(tasks.length).fill(undefined))[k] = chunk.data;
  }
  if (!encodes) return { results };
  // The tasks share one slot: it is free again now, for the group's bytes when they fit (else a
  // copy goes: the group buffer stays the worker's, bgzf-task.ts `appendGroupBytes`).
  return handBack((tasks[0] as EncodingTask).output, out.subarray(0, length), data ? { numbers, data } : { numbers });
}
