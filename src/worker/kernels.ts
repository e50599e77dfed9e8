// The kernel registry: every task a worker thread runs, by name. The worker entry dispatches
// through it, and the task and result types of the pool (`WorkerTask`, `ResultOf`) derive from it,
// so a new kernel is one line here and no union or switch elsewhere. An output format's kernel
// needs none: `format` runs it from its module (format-task.ts, docs/architecture.md).

import { runBgzfTask } from './bgzf-task.js';
import { runCustomTask } from './custom-task.js';
import { runFormatTask } from './format-task.js';
import { runHaplotypeJoined, runHaplotypeSpan, runHaplotypeTask } from './haplotype-chunk.js';
import { packRecordBatch, runPackTask } from './pack-batch.js';
import { runParseTask } from './parse-chunk.js';
import { runPlaceTask } from './place-task.js';
import { runStatsJoined, runStatsSpan, runStatsTask } from './stats-chunk.js';
import type { SharedRows, SpanRows } from './shared-views.js';
import { runVcfJoined, runVcfSpan, runVcfTask } from './vcf-chunk.js';

/** Each kernel: its task (with `kind` naming it) -> its result. */
export const kernels = {
  parse: runParseTask,
  place: runPlaceTask,
  bgzf: runBgzfTask,
  custom: runCustomTask,
  haplotype: runHaplotypeTask,
  vcf: runVcfTask,
  stats: runStatsTask,
  format: runFormatTask,
  pack: runPackTask,
} as const;

/**
 * Kernels that also take a group of tasks together (a joined group: `Conversion.collectJoined`),
 * giving one result for all of them: `pack` writes a group of small contigs as one record batch,
 * `stats` their table's lines with the sum of their counts, `haplotype` and `vcf` their lines.
 */
export const joinedKernels: { readonly [K in KernelName]?: (tasks: TaskOf<K>[], shared: readonly (SharedRows | undefined)[]) => unknown } = {
  haplotype: runHaplotypeJoined,
  pack: packRecordBatch,
  stats: runStatsJoined,
  vcf: runVcfJoined,
};

/**
 * Joined forms that also take a group's tasks as numbers (shared-views.ts `SpanRows`, made by
 * task-group.ts `spanRows`): the binding's line writers over a span of small contigs, and the VCF
 * kernel, with no task object per contig. Undefined from one (no binding, or a table the binding
 * does not write) sends the group to the joined form.
 */
export const spanKernels: { readonly [K in KernelName]?: (rows: SpanRows<TaskOf<K>>) => unknown } = {
  haplotype: runHaplotypeSpan,
  stats: runStatsSpan,
  vcf: runVcfSpan,
};

/** The name of a registered kernel. */
export type KernelName = keyof typeof kernels;

/** The task of kernel `K`. */
export type TaskOf<K extends KernelName> = Parameters<(typeof kernels)[K]>[0];

/** Any task a worker runs. */
export type WorkerTask = { [K in KernelName]: TaskOf<K> }[KernelName];

/** What a task's kernel resolves to. */
export type ResultOf<T extends WorkerTask> = Awaited<ReturnType<(typeof kernels)[T['kind']]>>;
