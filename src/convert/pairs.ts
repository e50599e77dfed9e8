// Diploid pairs of haplotype columns (docs/specification.md, "Pairs"): members ordered by name, the pair named by
// the two names concatenated; found automatically from `<stem>a` / `<stem>b` names or given.

import { UsageError } from '../errors.js';
import type { HaplotypePair } from '../layout/types.js';
import { asSampleSelection, selectSamples, type SampleSelection } from '../select/samples.js';

export type { HaplotypePair } from '../layout/types.js';

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Pairs from `"10a:10b,13a:13b"`, from a list of name pairs, or automatic when `spec` is undefined. */
export function resolvePairs(samples: readonly string[], spec?: string | readonly (readonly [string, string])[]): HaplotypePair[] {
  if (spec === undefined) return automaticPairs(samples);
  const given = typeof spec === 'string' ? parsePairSpec(spec) : spec;
  const index = columnIndex(samples);
  const used = new Set<string>();
  const names = new Map<string, string>();
  return given.map(([x, y]) => {
    if (x === y) throw new UsageError(`--pairs: '${x}' cannot be paired with itself`);
    for (const name of [x, y]) {
      if (!index.has(name)) throw new UsageError(`--pairs: '${name}' is not a haplotype column (columns: ${abbreviate(samples)})`);
      if (used.has(name)) throw new UsageError(`--pairs: '${name}' is in more than one pair`);
      used.add(name);
    }
    const pair = makePair(index, x, y);
    // A pair's name heads its columns in every output (haplotype, stats, VCF sample): it must be unique.
    const other = names.get(pair.name);
    if (other !== undefined) throw new UsageError(`--pairs: ${other} and ${x}:${y} are both named '${pair.name}'; pair names must differ`);
    names.set(pair.name, `${x}:${y}`);
    return pair;
  });
}

/**
 * The pairs a conversion writes: the ones given, else the source's own (a loaded matrix's, given at
 * load, packed with it, or automatic; a streamed input has none of its own: automatic), then those
 * a sample selection (`-s`, src/select/samples.ts) keeps.
 */
export function conversionPairs(
  source: { readonly samples: readonly string[]; readonly pairs?: readonly HaplotypePair[] },
  spec?: string | readonly (readonly [string, string])[],
  selection?: string | SampleSelection,
): HaplotypePair[] {
  const pairs = spec === undefined && source.pairs ? [...source.pairs] : resolvePairs(source.samples, spec);
  return selectSamples(pairs, asSampleSelection(selection));
}

/**
 * `<stem>a` + `<stem>b` pairs, listed in string order of the pair name (one a stem: sorted as
 * plain strings, with no comparison function, whose 800,000 calls for 50,000 pairs took `info` of
 * 100,000 columns 100 ms). A `<stem>a` sorts before its `<stem>b`: it is the pair's first member.
 */
export function automaticPairs(samples: readonly string[]): HaplotypePair[] {
  const index = columnIndex(samples);
  const pairs = new Map<string, HaplotypePair>();
  for (let i = 0; i < samples.length; i++) {
    const name = samples[i] as string;
    if (name.length < 2 || !name.endsWith('a') || index.get(name) !== i) continue;
    const mate = index.get(`${name.slice(0, -1)}b`);
    if (mate === undefined) continue;
    const second = samples[mate] as string;
    pairs.set(name + second, { name: name + second, members: [name, second], columns: [i, mate] });
  }
  return Array.from(pairs.keys())
    .sort()
    .map((name) => pairs.get(name) as HaplotypePair);
}

/** Column index by name (a lookup per name, not a scan: matrices have 100,000 columns). */
function columnIndex(samples: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  samples.forEach((name, i) => {
    if (!index.has(name)) index.set(name, i);
  });
  return index;
}

function makePair(index: ReadonlyMap<string, number>, x: string, y: string): HaplotypePair {
  const [first, second] = byString(x, y) <= 0 ? [x, y] : [y, x];
  return { name: first + second, members: [first, second], columns: [index.get(first) as number, index.get(second) as number] };
}

function parsePairSpec(spec: string): [string, string][] {
  return spec
    .split(',')
    .filter((item) => item.trim() !== '')
    .map((item) => {
      const parts = item.split(':').map((part) => part.trim());
      if (parts.length !== 2 || !parts[0] || !parts[1]) throw new UsageError(`--pairs: expected NAME:NAME[,NAME:NAME...], got '${item}'`);
      return [parts[0], parts[1]];
    });
}

function abbreviate(names: readonly string[]): string {
  return names.length <= 12 ? names.join(', ') : `${names.slice(0, 12).join(', ')}, ... (${names.length} in all)`;
}
