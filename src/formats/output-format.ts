// An output format: one module in src/formats whose default export is its kernel (worker side: a
// range's rows -> text, run through worker/format-task.ts) and which exports its description (this
// shape). From the description alone the
// driver runs the format in memory and streamed (`writeFormat`), and the command line makes its
// command (cli/commands/format-command.ts); formats/registry.ts lists them (docs/architecture.md).

import { memorySource } from '../dispatch/contig-source.js';
import { rangeColumns, type Conversion } from '../dispatch/conversion.js';
import type { ContigUnit } from '../dispatch/contig-source.js';
import { drive } from '../dispatch/drive.js';
import { progressOf, type ProgressOptions } from '../convert/conversion-progress.js';
import { streamedRun, type LowMemoryOptions } from '../convert/low-memory.js';
import type { Matrix } from '../matrix.js';
import type { FormatTask } from '../worker/format-task.js';
import { openOutput } from '../write/output-sink.js';
import { compressionOf, type OutputTypeOptions } from '../write/output-type.js';

/** What a format says about itself. */
export interface OutputFormat {
  /** The command's name (`genomatrix NAME <matrix>`) and the format's. */
  name: string;
  /** One line for `--help`. */
  describe: string;
  /** The URL of its kernel module (the format's own, `import.meta.url`), whose default export is a `FormatKernel`. */
  kernel: string;
  /** Bytes written first (a header line), given the first contig. */
  header?(first: ContigUnit | undefined): string;
  /** Examples for `--help`: what, and the commands (`$0` is genomatrix). */
  examples?: { what: string; commands: string[] }[];
}

/** Options of `writeFormat`: where the output goes, plain or BGZF. */
export interface FormatOptions extends OutputTypeOptions {
  /** Output file; standard output when undefined or `-`. */
  output?: string;
}

/** The driver's conversion of a format, counting the lines its kernel writes. */
export function formatConversion(format: OutputFormat): Conversion<FormatTask> & { lines: number } {
  const kernel = format.kernel;
  const conversion = {
    lines: 0,
    begin: (first: ContigUnit | undefined) => (format.header ? new TextEncoder().encode(format.header(first)) : undefined),
    task: (range) => ({ kind: 'format', encodes: true, kernel, ...rangeColumns(range) }),
    collect: (result) => void (conversion.lines += result.lines),
  } satisfies Conversion<FormatTask> & { lines: number };
  return conversion;
}

/**
 * Writes `format` of a loaded matrix, or of a matrix file streamed contig by contig (a path: the
 * low-memory mode, with `LowMemoryOptions`); returns the lines written.
 *
 * @example
 * await writeFormat(formats.bed, matrix, { output: 'variable-sites.bed' });
 */
export async function writeFormat(format: OutputFormat, input: Matrix, options?: FormatOptions & ProgressOptions & { signal?: AbortSignal }): Promise<number>;
export async function writeFormat(format: OutputFormat, input: string, options?: FormatOptions & LowMemoryOptions): Promise<number>;
export async function writeFormat(format: OutputFormat, input: Matrix | string, options: FormatOptions & (LowMemoryOptions | ProgressOptions) = {}): Promise<number> {
  const conversion = formatConversion(format);
  const compression = compressionOf(options.output, options, format.name);
  if (typeof input === 'string') {
    await streamedRun(input, conversion, options.output, compression, options as LowMemoryOptions);
  } else {
    const { signal, onProgress } = options as ProgressOptions & { signal?: AbortSignal };
    const sink = await openOutput(options.output, { inputs: [input.source] });
    await drive(memorySource(input.layout), conversion, { pool: input.pool, sink, ...compression, signal, onRange: progressOf(input, { onProgress }) });
  }
  return conversion.lines;
}
