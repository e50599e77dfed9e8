// A conversion run in the test's own process through the library: what `genomatrix COMMAND PATH
// [options] -o FILE` writes, without starting a process (a CLI run costs about half a second of
// CPU, most of it start-up). For tests whose subject is what a conversion writes (a selection, a
// mode, an input form); the command line that asks for it is tested by spawning the CLI.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haplotype, loadMatrix, lowMemoryHaplotype, lowMemoryPack, lowMemoryStats, lowMemoryVcf, pack, stats, vcf, type LoadOptions, type VcfDeletions } from '../src/index.js';

/** The conversions, by the command (and `--json`) that writes them. */
export type ConversionName = 'haplotype' | 'vcf' | 'stats' | 'stats --json' | 'pack';

/** The options of a conversion run, as the command line's options. */
export interface ConvertOptions extends Pick<LoadOptions, 'contigs' | 'regions' | 'regionsFile' | 'header' | 'pairs' | 'threads'> {
  /** `-s`: the pairs (VCF: samples) written. */
  samples?: string;
  /** `--low-memory`: streamed contig by contig. */
  lowMemory?: boolean;
  /** `vcf --deletions`. */
  deletions?: VcfDeletions;
}

/** A command line's arguments after the input (`--pairs P`, `--threads N`, `--deletions D`, `--json`, `--low-memory`, `--contigs A,B`, `-r R`, `-s S`) as a conversion and its options. */
export function fromArguments(command: string, args: readonly string[]): [ConversionName, ConvertOptions] {
  const options: ConvertOptions = {};
  let name = command as ConversionName;
  for (let i = 0; i < args.length; i++) {
    const value = args[i + 1] as string;
    switch (args[i]) {
      case '--json': name = 'stats --json'; continue;
      case '--low-memory': options.lowMemory = true; continue;
      case '--pairs': options.pairs = value; break;
      case '--threads': options.threads = Number(value); break;
      case '--deletions': options.deletions = value as VcfDeletions; break;
      case '--contigs': options.contigs = value.split(','); break;
      case '-r': options.regions = value; break;
      case '-s': options.samples = value; break;
      default: throw new Error(`no in-process form for ${args[i]}`);
    }
    i++;
  }
  return [name, options];
}

/** The bytes `genomatrix <name> path [options]` writes, as text. */
export async function convert(name: ConversionName, path: string, options: ConvertOptions = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'genomatrix-convert-'));
  try {
    const output = join(dir, 'out');
    await convertTo(name, path, output, options);
    return readFileSync(output, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `genomatrix <name> path [options] -o output`: BGZF when the name ends in `.gz`, as on the command line. */
export async function convertTo(name: ConversionName, path: string, output: string, options: ConvertOptions = {}): Promise<void> {
  const { samples, lowMemory, deletions, ...load } = options;
  const select = { ...(samples === undefined ? {} : { samples }), ...(deletions === undefined ? {} : { deletions }) };
  const format = name === 'stats --json' ? ('json' as const) : ('tsv' as const);
  if (lowMemory) {
    if (name === 'haplotype') await lowMemoryHaplotype(path, { ...load, samples, output });
    else if (name === 'vcf') await lowMemoryVcf(path, { ...load, ...select, output });
    else if (name === 'pack') await lowMemoryPack(path, { ...load, output });
    else await lowMemoryStats(path, { ...load, samples, output, format });
    return;
  }
  const matrix = await loadMatrix(path, load);
  try {
    if (name === 'haplotype') await haplotype(matrix, { samples, output });
    else if (name === 'vcf') await vcf(matrix, { ...select, output });
    else if (name === 'pack') await pack(matrix, { output });
    else await stats(matrix, { samples, output, format });
  } finally {
    await matrix.close();
  }
}
