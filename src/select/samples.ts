// Sample selection as bcftools takes it: `-s/--samples [^]NAME,...` and `-S/--samples-file [^]FILE`.
// The samples of `haplotype` and `stats` are the diploid pairs; those of the VCF are its pairs and
// its haploid samples (the haplotype columns in no pair of the whole matrix), selected among all of
// them by name as `bcftools view -s` selects among the whole VCF's. A leading `^` excludes.
// Included names come out in the order given, excluded ones leave the others in their order, as
// `bcftools view -s` does. Only which samples are written changes: sites and alleles stay those of
// the whole matrix.

import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** Which samples to keep: the names, and whether they are the ones to leave out. */
export interface SampleSelection {
  exclude: boolean;
  names: string[];
  /** How the selection was given, for messages (`-s`, `-S list.txt`). */
  from: string;
}

/** `-s [^]NAME[,NAME...]`: names separated by commas, an empty name being an error. */
export function parseSamples(value: string): SampleSelection {
  const exclude = value.startsWith('^');
  const names = (exclude ? value.slice(1) : value).split(',').map((name) => name.trim());
  if (names.some((name) => name === '')) throw new UsageError(`-s ${JSON.stringify(value)}: expected sample names separated by commas, with no empty name`);
  return { exclude, names, from: '-s' };
}

/** A selection as the library takes it: `"[^]NAME,..."` (the `-s` form) or already parsed. */
export function asSampleSelection(value: string | SampleSelection | undefined): SampleSelection | undefined {
  return typeof value === 'string' ? parseSamples(value) : value;
}

/** `-S [^]FILE`: one name per line (what follows a tab or space is ignored, blank lines skipped). */
export function readSamplesFile(value: string): SampleSelection {
  const exclude = value.startsWith('^');
  const path = exclude ? value.slice(1) : value;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`-S ${path}: cannot read the samples file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const names = text
    .split('\n')
    .map((line) => line.split(/[\t ]/)[0]?.replace(/\r$/, '') ?? '')
    .filter((name) => name !== '');
  if (names.length === 0) throw new UsageError(`-S ${path}: no sample names in the file`);
  return { exclude, names, from: `-S ${path}` };
}

/** The selection of `-s` or `-S` (at most one of them), or undefined when neither is given. */
export function sampleSelectionOf(spec: { samples?: string | undefined; samplesFile?: string | undefined }): SampleSelection | undefined {
  if (spec.samples !== undefined && spec.samplesFile !== undefined) throw new UsageError('-s/--samples and -S/--samples-file: give one of them');
  if (spec.samples !== undefined) return parseSamples(spec.samples);
  if (spec.samplesFile !== undefined) return readSamplesFile(spec.samplesFile);
  return undefined;
}

/**
 * The items (pairs, or a VCF's samples) a selection keeps: those named, in the order named, or all
 * but those named, in their order. A name that is not an item's, or a name given twice, is a usage
 * error naming it and the items there are; `noun` is what the items are called in it.
 */
export function selectSamples<Item extends { readonly name: string }>(items: readonly Item[], selection: SampleSelection | undefined, noun: 'pair' | 'sample' = 'pair'): Item[] {
  if (!selection) return [...items];
  const byName = new Map(items.map((item) => [item.name, item]));
  const seen = new Set<string>();
  for (const name of selection.names) {
    if (!byName.has(name)) {
      const there = items.length === 0 ? `there are no ${noun}s` : `the ${noun}s are ${abbreviate(items.map((item) => item.name))}`;
      throw new UsageError(`${selection.from}: no ${noun} ${name}; ${there}`);
    }
    if (seen.has(name)) throw new UsageError(`${selection.from}: ${noun} ${name} is named twice`);
    seen.add(name);
  }
  if (selection.exclude) return items.filter((item) => !seen.has(item.name));
  return selection.names.map((name) => byName.get(name) as Item);
}

function abbreviate(names: readonly string[]): string {
  return names.length <= 12 ? names.join(', ') : `${names.slice(0, 12).join(', ')}, ... (${names.length} in all)`;
}
