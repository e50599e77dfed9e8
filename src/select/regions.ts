// Region selection as bcftools takes it: `-r/--regions CHR[:FROM-TO][,...]` and
// `-R/--regions-file FILE`, 1-based and inclusive, parsed into one merged interval list per contig.
// `--contigs NAME,...` is the same selection with whole contigs. docs/selection.md has the rules.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { formatLocated, UsageError } from '../errors.js';

/** Positions `from..to` of one contig, 1-based and inclusive. */
export interface Interval {
  from: number;
  to: number;
}

/** One region as written: a contig and an interval of it. */
export interface Region extends Interval {
  contig: string;
}

/** The selected regions: per contig, sorted disjoint intervals; contigs in the order first named. */
export interface RegionSet {
  readonly intervals: ReadonlyMap<string, readonly Interval[]>;
}

/** The largest POS a matrix holds (POS is an Int32 column): the end of `CHR` and `CHR:FROM-`. */
export const CONTIG_END = 2 ** 31 - 1;

/** Where a selection comes from: what `LoadOptions` and the command line take. */
export interface SelectionSpec {
  /** Whole contigs by name (`--contigs`). */
  contigs?: readonly string[] | undefined;
  /** `CHR[:FROM-TO][,...]` (`-r`). */
  regions?: string | undefined;
  /** A BED or CHR FROM TO file (`-R`). */
  regionsFile?: string | undefined;
}

/** The one region set of a selection spec, or undefined when nothing is selected; two sources at once is a usage error. */
export function selectionOf(spec: SelectionSpec): RegionSet | undefined {
  const given = [spec.contigs && '--contigs', spec.regions !== undefined && '-r/--regions', spec.regionsFile !== undefined && '-R/--regions-file'].filter(Boolean);
  if (given.length > 1) throw new UsageError(`${given.join(' and ')}: give one of them`);
  if (spec.contigs) return regionSet(spec.contigs.map((contig) => ({ contig, from: 1, to: CONTIG_END })));
  if (spec.regions !== undefined) return regionSet(parseRegions(spec.regions));
  if (spec.regionsFile !== undefined) return regionSet(readRegionsFile(spec.regionsFile));
  return undefined;
}

/** Most contigs a text parse is told to keep alone: every parse task carries their names. */
const MAX_SKIP_LIST = 1000;

/**
 * The contigs a text input's parse keeps, skipping the others' lines (`TextLoadOptions.onlyContigs`):
 * the selection's contigs, or undefined (every line parsed) without a selection or with more than
 * `MAX_SKIP_LIST` of them, so that the names sent with each task stay few.
 */
export function parsedContigs(regions: RegionSet | undefined): string[] | undefined {
  if (!regions || regions.intervals.size === 0 || regions.intervals.size > MAX_SKIP_LIST) return undefined;
  return [...regions.intervals.keys()];
}

/**
 * Regions from `-r`: comma-separated `CHR`, `CHR:POS`, `CHR:FROM-TO`, `CHR:FROM-` or `CHR:-TO`.
 * Numbers are digits, optionally with a `k`/`M`/`G` suffix (`1.5M`), as htslib reads them; a comma
 * always separates regions (as in bcftools, `1,000` is not a number).
 */
export function parseRegions(value: string): Region[] {
  const items = value.split(',').map((item) => item.trim());
  if (items.every((item) => item === '')) throw new UsageError(`-r ${JSON.stringify(value)}: no region given`);
  const stray = items.find((item) => /^\d*-\d*$/.test(item) && item !== '-');
  if (stray !== undefined) throw new UsageError(`-r ${JSON.stringify(value)}: ${JSON.stringify(stray)} is not a region (commas separate regions: write 1000-2000, not 1,000-2,000)`);
  return items.filter((item) => item !== '').map((item) => parseRegion(item, (problem) => new UsageError(`-r ${JSON.stringify(item)}: ${problem}`)));
}

const REGION_FORMS = 'expected CHR, CHR:POS, CHR:FROM-TO or CHR:FROM- (1-based, inclusive)';

/** One `CHR[:FROM[-[TO]]]`; the last `:` splits the contig from the positions when what follows it is a range. */
function parseRegion(item: string, fail: (problem: string) => UsageError): Region {
  const colon = item.lastIndexOf(':');
  const range = colon < 0 ? undefined : /^([^-]*)(-?)([^-]*)$/.exec(item.slice(colon + 1));
  if (colon < 0) return { contig: item, from: 1, to: CONTIG_END };
  const contig = item.slice(0, colon);
  if (contig === '' || !range) throw fail(REGION_FORMS);
  const [, fromText = '', dash, toText = ''] = range;
  const from = fromText === '' ? 1 : position(fromText, fail);
  const to = toText === '' ? (dash ? CONTIG_END : from) : position(toText, fail);
  if (fromText === '' && !dash) throw fail(REGION_FORMS);
  if (to < from) throw fail(`the end ${to} is before the start ${from}`);
  return { contig, from: Math.max(1, from), to };
}

/** A position: digits, optionally `k`, `M` or `G` (`2.5k` = 2500); 0 is taken as 1, as bcftools does. */
function position(text: string, fail: (problem: string) => UsageError): number {
  const match = /^(\d+(?:\.\d+)?)([kKmMgG]?)$/.exec(text);
  const scale = { '': 1, k: 1e3, m: 1e6, g: 1e9 }[(match?.[2] ?? '').toLowerCase() as '' | 'k' | 'm' | 'g'];
  const value = match ? Number(match[1]) * scale : NaN;
  if (!Number.isInteger(value)) throw fail(`${JSON.stringify(text)} is not a position: ${REGION_FORMS}`);
  return Math.min(value, CONTIG_END);
}

/**
 * Regions from `-R FILE`, as bcftools reads them: a name ending in `.bed` or `.bed.gz` (any case) is
 * BED (CHR, 0-based START, END exclusive); anything else is tab-separated CHR POS [END], 1-based and
 * inclusive. Columns after the third are ignored; empty lines and lines starting with `#`, `track`
 * or `browser` are skipped. A `.gz` file is inflated (gzip or BGZF).
 */
export function readRegionsFile(path: string): Region[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`-R ${path}: cannot read the regions file (${code ?? (error as Error).message})`);
  }
  const bed = /\.bed(\.gz)?$/i.test(path);
  const regions: Region[] = [];
  bytes
    .toString('utf8')
    .split('\n')
    .forEach((raw, i) => {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.trim() === '' || line.startsWith('#') || /^(track|browser)([ \t]|$)/.test(line)) return;
      const fail = (problem: string) => new UsageError(formatLocated({ file: path, line: i + 1 }, problem));
      const [contig = '', start = '', end] = line.split('\t');
      const expected = bed ? 'expected CHR, START and END separated by tabs (BED: 0-based, END exclusive)' : 'expected CHR, POS and optionally END separated by tabs (1-based, inclusive)';
      if (contig === '' || start === '' || (bed && end === undefined)) throw fail(expected);
      const number = (text: string) => {
        if (!/^\d+$/.test(text)) throw fail(`${JSON.stringify(text)} is not a whole number: ${expected}`);
        return Math.min(Number(text), CONTIG_END);
      };
      const from = bed ? number(start) + 1 : Math.max(1, number(start));
      const to = end === undefined || end === '' ? from : number(end);
      if (to < from) {
        if (bed && to === from - 1) return; // an empty BED interval selects nothing
        throw fail(`the end ${end} is before the start ${start}`);
      }
      regions.push({ contig, from, to });
    });
  if (regions.length === 0) throw new UsageError(`-R ${path}: no regions in the file`);
  return regions;
}

/** Merges regions into sorted disjoint intervals per contig (overlapping and adjacent ones join). */
export function regionSet(regions: readonly Region[]): RegionSet {
  const byContig = new Map<string, Interval[]>();
  for (const { contig, from, to } of regions) {
    let list = byContig.get(contig);
    if (!list) byContig.set(contig, (list = []));
    list.push({ from, to });
  }
  const intervals = new Map<string, Interval[]>();
  for (const [contig, list] of byContig) {
    list.sort((a, b) => a.from - b.from);
    const merged: Interval[] = [];
    for (const next of list) {
      const last = merged[merged.length - 1];
      if (last && next.from <= last.to + 1) last.to = Math.max(last.to, next.to);
      else merged.push({ ...next });
    }
    intervals.set(contig, merged);
  }
  return { intervals };
}

/** True when the intervals of a contig take all of it (`CHR`, `--contigs`). */
export function wholeContig(intervals: readonly Interval[]): boolean {
  const [first] = intervals;
  return intervals.length === 1 && first !== undefined && first.from <= 1 && first.to >= CONTIG_END;
}
