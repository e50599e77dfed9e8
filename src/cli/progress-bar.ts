// The progress of long runs, on stderr (never stdout, which may carry the table): on by default
// when stderr is a terminal, `--progress` forces it, `--quiet` turns it off. It is fed from the
// main thread as chunks complete, so it costs the kernels nothing.
//
// On a terminal it is a bar redrawn in place that fits the terminal's width (the bar shrinks
// first). Into a file or pipe it is plain lines, one each time a phase passes another tenth (and
// one per contig done when streaming, at most one a second), never the same line twice.

import { createRequire } from 'node:module';
import type * as CliProgress from 'cli-progress';
import type { ConversionProgress } from '../convert/conversion-progress.js';
import type { LoadProgress } from '../layout/types.js';
import { fitProgressLine, formatBytes, formatCount, formatShortCount, plainProgressLine, type LineFit, type ProgressState } from './progress-line.js';

/** Whether to show progress: `--quiet` wins, then `--progress`, else only on a terminal. */
export function progressWanted(options: { quiet?: boolean | undefined; progress?: boolean | undefined }): boolean {
  if (options.quiet) return false;
  if (options.progress !== undefined) return options.progress;
  return process.stderr.isTTY === true;
}

/** The bar's characters: full and empty cells (cli-progress's shades_classic). */
const FULL = '\u2588';
const EMPTY = '\u2591';

// cli-progress (a CommonJS package of ~20 modules with its dependencies) is loaded only when a bar
// is drawn on a terminal: a run into a file or pipe, and every test, never pays its start-up.
let cliProgress: typeof CliProgress | undefined;

/** One bar per phase (reading, then converting), or nothing when progress is off. */
export class ProgressBar {
  private bar: CliProgress.SingleBar | undefined;
  private phase = '';
  private started = 0;
  private state: ProgressState | undefined;
  /** How the terminal line was last fitted, and at what width: it only narrows while the width stays. */
  private fit: { width: number; fit: LineFit } | undefined;
  /** Plain mode: the tenth and contig count of the last line written, and when. */
  private written = { line: '', tenth: -1, contigs: -1, at: 0 };
  private readonly terminal = process.stderr.isTTY === true;

  constructor(private readonly enabled: boolean) {}

  /** Reading the input: bytes of the file and sites parsed (and contigs done, when streaming). */
  load(progress: LoadProgress & { contigs?: number }): void {
    if (!this.enabled) return; // formatting numbers costs the main thread, chunk after chunk
    const contigs = progress.contigs === undefined ? '' : `, ${progress.contigs} contig${progress.contigs === 1 ? '' : 's'} done`;
    const shortContigs = progress.contigs === undefined ? '' : `, ${progress.contigs} done`;
    const total = formatBytes(progress.totalBytes);
    const detail = [
      `${formatBytes(progress.bytes)}/${total}, ${formatCount(progress.sites)} sites${contigs}`,
      `${formatBytes(progress.bytes).split(' ')[0]}/${total}, ${formatShortCount(progress.sites)} sites${shortContigs}`,
      `${formatBytes(progress.bytes).split(' ')[0]}/${total}`,
    ] as const;
    const phase = progress.contigs === undefined ? 'reading  ' : 'streaming';
    this.show(phase, progress.bytes, progress.totalBytes, detail, (seconds) => `${formatBytes(progress.bytes / seconds)}/s`, progress.contigs);
  }

  /** Converting (the haplotype table by default; `phase` names another conversion): sites and contigs done of all. */
  convert(progress: ConversionProgress, phase = 'haplotype'): void {
    if (!this.enabled) return;
    const detail = [
      `${formatCount(progress.sites)}/${formatCount(progress.totalSites)} sites, contigs ${progress.contigs}/${progress.totalContigs}`,
      `${formatShortCount(progress.sites)}/${formatShortCount(progress.totalSites)} sites, ${progress.contigs}/${progress.totalContigs} contigs`,
      `${formatShortCount(progress.sites)}/${formatShortCount(progress.totalSites)} sites`,
    ] as const;
    this.show(phase.padEnd(9), progress.sites, progress.totalSites, detail, (seconds) => `${formatShortCount(progress.sites / seconds)} sites/s`);
  }

  /** Ends the current phase, leaving its last state on its line. */
  stop(): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = undefined;
    } else if (this.state) {
      this.writePlain(this.state, true);
    }
    this.state = undefined;
    this.phase = '';
    active.delete(this);
  }

  private show(phase: string, value: number, total: number, detail: ProgressState['detail'], speed: (seconds: number) => string, contigs?: number): void {
    if (phase !== this.phase) {
      this.stop();
      this.phase = phase;
      this.started = Date.now();
      this.written = { line: '', tenth: -1, contigs: -1, at: 0 };
      this.fit = undefined;
      active.add(this);
      if (this.terminal) {
        cliProgress ??= createRequire(import.meta.url)('cli-progress') as typeof CliProgress;
        this.bar = new cliProgress.SingleBar({ format: (_options, params) => this.drawn(params.maxWidth), stream: process.stderr, hideCursor: false, gracefulExit: false, etaBuffer: 20 });
        this.bar.start(Math.max(total, 1), 0);
      }
    }
    // No rate or ETA in the first quarter second (guesses from a chunk or two), unless it is done.
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    const measured = value > 0 && (seconds >= 0.25 || value >= total);
    this.state = { phase, value, total, detail, speed: measured ? speed(seconds) : '', eta: measured ? (seconds * (total - value)) / value : undefined };
    if (this.bar) this.bar.update(value);
    else this.writePlain(this.state, false, contigs);
  }

  /** The terminal line: fits the terminal's current width (read at each redraw, so it follows a resize). */
  private drawn(width: number): string {
    if (!this.state) return '';
    const columns = process.stderr.columns ?? width;
    const limit = this.fit?.width === columns ? this.fit.fit : undefined;
    const { line, fit } = fitProgressLine(
      this.state,
      columns,
      (size, fraction) => {
        const full = Math.round(size * fraction);
        return FULL.repeat(full) + EMPTY.repeat(size - full);
      },
      limit,
    );
    this.fit = { width: columns, fit };
    return line;
  }

  /** A plain line when the phase passes a tenth, or a contig is done (at most one a second), or at its end. */
  private writePlain(state: ProgressState, final: boolean, contigs?: number): void {
    const tenth = state.total > 0 ? Math.floor((10 * state.value) / state.total) : 10;
    const now = Date.now();
    const due = final || tenth > this.written.tenth || (contigs !== undefined && contigs > this.written.contigs && now - this.written.at >= 1000);
    if (!due) return;
    const line = plainProgressLine(state);
    if (line === this.written.line) return;
    process.stderr.write(`${line}\n`);
    this.written = { line, tenth: Math.max(tenth, this.written.tenth), contigs: contigs ?? -1, at: now };
  }
}

const active = new Set<ProgressBar>();

/** Stops every bar still running (before an error message or an exit on a signal). */
export function stopProgressBars(): void {
  for (const bar of active) bar.stop();
}
