// The type of a text output (the haplotype table, VCF, statistics): plain or BGZF, chosen by
// `-O/--output-type` when given, else by the output's name (`.gz`, `.bgz`: BGZF). A binary type
// genomatrix does not write (BCF: `.bcf`, `-O b`, `-O u`) is a usage error that names the
// bcftools command converting the VCF genomatrix does write.

import { UsageError } from '../errors.js';

/** What a text output is written as. */
export const OutputType = { plain: 'plain', bgzf: 'bgzf' } as const;
export type OutputType = (typeof OutputType)[keyof typeof OutputType];

/** The `-O` letters, as bcftools has them: v plain, z BGZF, b and u (BCF) refused. */
export const OUTPUT_TYPE_LETTERS = ['v', 'z', 'b', 'u'] as const;
export type OutputTypeLetter = (typeof OUTPUT_TYPE_LETTERS)[number];

/** Options of a conversion that writes text. */
export interface OutputTypeOptions {
  /** Plain text or BGZF; default: BGZF when `output` ends in `.gz` or `.bgz`. */
  outputType?: OutputType;
  /** The BGZF deflate level, 0 (stored) to 9 (smallest); default `DEFAULT_BGZF_LEVEL` (5). */
  compressionLevel?: number;
}

/** How a text output is compressed, as the driver takes it: BGZF or plain, and BGZF's deflate level. */
export interface Compression {
  bgzf: boolean;
  level: number | undefined;
}

/** The compression of `output` as `options` ask (`outputType`, else the name; `compressionLevel`, checked), named for `command`'s messages. */
export function compressionOf(output: string | undefined, options: OutputTypeOptions, command: string): Compression {
  return { bgzf: outputType(output, options.outputType, command) === 'bgzf', level: compressionLevel(options.compressionLevel) };
}

/** A deflate level, checked: a whole number from 0 to 9 (as `bgzip -l` and `bcftools -l` take). */
export function compressionLevel(level: number | undefined, text: string = String(level)): number | undefined {
  if (level === undefined) return undefined;
  if (!(Number.isInteger(level) && level >= 0 && level <= 9)) throw new UsageError(`--compression-level must be a whole number from 0 to 9, got '${text}'`);
  return level;
}

/** The output type of a `-O` letter; `b` and `u` (BCF) are refused. */
export function outputTypeOfLetter(letter: OutputTypeLetter | undefined, output: string | undefined): OutputType | undefined {
  if (letter === undefined) return undefined;
  if (letter === 'b' || letter === 'u') throw bcfRefused(output, `-O ${letter}`);
  return letter === 'z' ? OutputType.bgzf : OutputType.plain;
}

/** The type an output is written as: `given`, else told by the name; a `.bcf` name is refused. */
export function outputType(output: string | undefined, given: OutputType | undefined, command = 'vcf'): OutputType {
  if (output !== undefined && /\.bcf$/i.test(output)) throw bcfRefused(output, output, command);
  if (given !== undefined) return given;
  return output !== undefined && /\.b?gz$/i.test(output) ? OutputType.bgzf : OutputType.plain;
}

function bcfRefused(output: string | undefined, what: string, command = 'vcf'): UsageError {
  const vcf = output === undefined || output === '-' ? 'out.vcf.gz' : output.replace(/\.bcf$/i, '') + (/\.vcf$/i.test(output.replace(/\.bcf$/i, '')) ? '.gz' : '.vcf.gz');
  const bcf = output === undefined || output === '-' || !/\.bcf$/i.test(output) ? 'out.bcf' : output;
  const target = command === 'vcf' ? `write VCF (-o ${vcf}) and convert it: bcftools view -O b -o ${bcf} ${vcf}` : `${command} writes text (plain, or BGZF with -O z or a .gz name)`;
  return new UsageError(`${what}: genomatrix does not write BCF; ${target}`);
}
