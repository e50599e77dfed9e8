// The progress bar of long runs, on stderr (never stdout, which may carry the table): on by
// default when stderr is a terminal, `--progress` forces it (one line per update, every second,
// when stderr is not a terminal), `--quiet` turns it off. It is fed from the main thread as
// chunks complete, so it costs the kernels nothing.

import cliProgress from 'cli-progress';
import type { HaplotypeProgress } from '../convert/haplotype.js';
import type { LoadProgress } from '../layout/types.js';

/** Whether to show progress: `--quiet` wins, then `--progress`, else only on a terminal. */
export function progressWanted(options: { quiet?: boolean | undefined; progress?: boolean | undefined }): boolean {
  if (options.quiet) return false;
  if (options.progress !== undefined) return options.progress;
  return process.stderr.isTTY === true;
}

const FORMAT = '{phase} |{bar}| {percentage}% | {detail} | {speed} | ETA {eta_formatted}';

/** One bar per phase (reading, then converting), or nothing when progress is off. */
export class ProgressBar {
  private bar: cliProgress.SingleBar | undefined;
  private phase = '';
  private started = 0;

  constructor(private readonly enabled: boolean) {}

  /** Reading the input: bytes of the file and sites parsed (and contigs done, when streaming). */
  load(progress: LoadProgress & { contigs?: number }): void {
    if (!this.enabled) return; // formatting numbers costs the main thread, chunk after chunk
    const contigs = progress.contigs === undefined ? '' : `, ${progress.contigs} contigs done`;
    const detail = `${formatBytes(progress.bytes)}/${formatBytes(progress.totalBytes)}, ${formatCount(progress.sites)} sites${contigs}`;
    this.show(progress.contigs === undefined ? 'reading  ' : 'streaming', progress.bytes, progress.totalBytes, detail, (seconds) => `${formatBytes(progress.bytes / seconds)}/s`);
  }

  /** Writing the haplotype table: sites and contigs done of all. */
  convert(progress: HaplotypeProgress): void {
    if (!this.enabled) return;
    const detail = `${formatCount(progress.sites)}/${formatCount(progress.totalSites)} sites, contigs ${progress.contigs}/${progress.totalContigs}`;
    this.show('haplotype', progress.sites, progress.totalSites, detail, (seconds) => `${formatCount(progress.sites / seconds)} sites/s`);
  }

  /** Ends the current bar, leaving its last state on its line. */
  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
    this.phase = '';
    active.delete(this);
  }

  private show(phase: string, value: number, total: number, detail: string, speed: (seconds: number) => string): void {
    if (phase !== this.phase) {
      this.bar?.stop();
      this.phase = phase;
      this.started = Date.now();
      this.bar = new cliProgress.SingleBar(
        { format: FORMAT, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 1000, etaBuffer: 20, hideCursor: false, gracefulExit: false },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(Math.max(total, 1), 0, { phase, detail, speed: '' });
      active.add(this);
    }
    const seconds = Math.max((Date.now() - this.started) / 1000, 0.001);
    this.bar?.update(value, { phase, detail, speed: speed(seconds) });
  }
}

const active = new Set<ProgressBar>();

/** Stops every bar still running (before an error message or an exit on a signal). */
export function stopProgressBars(): void {
  for (const bar of active) bar.stop();
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
