// The text of one progress line, for a terminal (with a bar that takes the width the rest leaves)
// and for a file or pipe (the same fields, no bar). Pure functions: the test checks them at any width.

import { withThousands } from '../write/decimal.js';

/** What a progress line shows: the phase, how far it is, and what has been done. */
export interface ProgressState {
  /** The phase, padded by the caller so that bars of successive phases line up: `reading  `. */
  readonly phase: string;
  /** Done so far, and of how much (bytes, sites). */
  readonly value: number;
  readonly total: number;
  /** What has been done, in words, then shorter for narrow terminals: `7.2 MB/7.2 MB, 300,000 sites`, `7.2/7.2 MB, 300k sites`. */
  readonly detail: readonly [string, ...string[]];
  /** The rate so far, `45.1 MB/s`, or '' before there is one. */
  readonly speed: string;
  /** Seconds left, or undefined while unknown. */
  readonly eta: number | undefined;
}

/** How a terminal line was fitted: which detail, and how wide a bar (0: none). */
export interface LineFit {
  readonly detail: number;
  readonly bar: number;
}

/** The widest bar drawn, in characters. */
const MAX_BAR = 40;
/** Narrower than this, the bar is left out rather than drawn as a stub. */
const MIN_BAR = 6;
/** Columns kept free beside the bar for the rate and ETA to widen into, so the bar rarely has to shrink. */
const SLACK = 4;

/**
 * The line for a terminal `width` columns wide, never longer than `width - 1` (a character in the
 * last column makes some terminals wrap). The bar gives way first, down to MIN_BAR; then the detail
 * takes its shorter form; then the bar goes, then the ETA, the rate and the detail. `limit` is the
 * previous fit of the same phase: the line never grows back, so the bar does not jump as numbers widen.
 * @example fitProgressLine(state, 80, (size) => '#'.repeat(size)).line
 */
export function fitProgressLine(
  state: ProgressState,
  width: number,
  drawBar: (size: number, fraction: number) => string,
  limit: LineFit = { detail: 0, bar: MAX_BAR },
): { line: string; fit: LineFit } {
  const room = Math.max(width - 1, 1);
  const fraction = state.total > 0 ? Math.min(state.value / state.total, 1) : 1;
  for (let detail = limit.detail; detail < state.detail.length; detail++) {
    const rest = lineFields(state, detail).join(' | ');
    const bar = Math.min(limit.bar, MAX_BAR, room - rest.length - 3 - SLACK); // 3: `|`, `|` and a space around the bar
    if (bar >= MIN_BAR) return { line: `${state.phase} |${drawBar(bar, fraction)}| ${rest.slice(state.phase.length + 1)}`, fit: { detail, bar } };
  }
  const detail = state.detail.length - 1;
  const fields = lineFields(state, detail);
  for (let keep = fields.length; keep > 1; keep--) {
    const rest = fields.slice(0, keep).join(' | ');
    if (rest.length <= room) return { line: rest, fit: { detail, bar: 0 } };
  }
  return { line: (fields[0] ?? '').slice(0, room), fit: { detail, bar: 0 } };
}

/** The line written into a file or pipe: the fields of the terminal's line, without the bar. */
export function plainProgressLine(state: ProgressState): string {
  return lineFields(state, 0).join(' | ');
}

/** The fields in the order they give way from the end: `phase pct`, detail, rate, ETA. */
function lineFields(state: ProgressState, detail: number): string[] {
  const percent = state.total > 0 ? Math.min(Math.floor((state.value / state.total) * 100), 100) : 100;
  const fields = [`${state.phase} ${String(percent).padStart(3)}%`, state.detail[detail] ?? state.detail[0]];
  if (state.speed !== '') fields.push(state.speed);
  fields.push(`ETA ${state.eta === undefined || !Number.isFinite(state.eta) ? '--' : formatSeconds(state.eta)}`);
  return fields;
}

/** Seconds as `7s`, `3m04s`, `1h02m`. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(Math.round(seconds), 0);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Bytes in decimal units: `7.2 MB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** A count with thousands separators: `300,000`. */
export function formatCount(n: number): string {
  return withThousands(Math.round(n));
}

/** A count in three significant figures at most: `950`, `300k`, `1.25M`. */
export function formatShortCount(n: number): string {
  const units = ['', 'k', 'M', 'G'];
  let value = Math.round(n);
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : Number(value.toPrecision(3))}${units[unit]}`;
}
