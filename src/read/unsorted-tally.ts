// With --allow-unsorted, decreasing POS inside a contig run is accepted, but never silently: the
// main thread counts the decreases over the parsed POS column (4 bytes a row, one pass, only in
// this mode) and the run ends with one warning naming the first one and the count.

import { formatLocated } from '../errors.js';
import { RUN_NUMBERS, runCount, runName, type ContigRuns } from '../worker/messages.js';

/** Counts decreasing POS over chunks handed to it in file order. */
export class UnsortedTally {
  private count = 0;
  private first: string | undefined;
  private previous: { contig: string; pos: number } | undefined;

  constructor(private readonly file: string) {}

  /** Scans one chunk: its runs' POS at `pos[src...]`; `line` is the file line before the chunk's first. */
  scan(pos: Int32Array, src: number, runs: ContigRuns, line: number): void {
    const { numbers } = runs;
    for (let k = 0, count = runCount(runs); k < count; k++) {
      const contig = runName(runs, k);
      const rows = numbers[RUN_NUMBERS * k] as number;
      const skipped = numbers[RUN_NUMBERS * k + 3] as number;
      let last = this.previous && this.previous.contig === contig ? this.previous.pos : 0;
      for (let r = 0; r < rows; r++) {
        const value = pos[src + r] as number;
        if (value < last) {
          this.count++;
          this.first ??= formatLocated({ file: this.file, line: line + r + 1, column: 2 }, `POS ${value} is smaller than the previous POS ${last} of contig ${contig}`);
        }
        last = value;
      }
      if (rows > 0) this.previous = { contig, pos: last };
      src += rows;
      line += rows + Math.max(0, skipped);
    }
  }

  /** The warning to print, or undefined when POS never decreased inside a contig run. */
  warning(): string | undefined {
    if (this.count === 0) return undefined;
    const all = this.count === 1 ? 'the only decrease' : `${this.count} decreases in all`;
    return `${this.first} (${all}; rows kept in file order, as --allow-unsorted asks)`;
  }
}

/** Hands a warning to `onWarning`, or to `process.emitWarning` when none is given. */
export function emitWarning(message: string | undefined, onWarning?: (message: string) => void): void {
  if (message === undefined) return;
  if (onWarning) onWarning(message);
  else process.emitWarning(message, 'GenomatrixWarning');
}
