// The public API of genomatrix.

export { loadMatrix, Matrix, type Contig, type LoadOptions, type LoadProgress, type MapOptions } from './matrix.js';
export { haplotype, haplotypeStream, haplotypeHeader, HaplotypeFormat, type HaplotypeOptions, type HaplotypeProgress, type HaplotypeSummary } from './convert/haplotype.js';
export type { ConversionProgress, ProgressOptions } from './convert/conversion-progress.js';
export {
  lowMemoryHaplotype,
  lowMemoryVcf,
  lowMemoryStats,
  type LowMemoryOptions,
  type LowMemoryHaplotypeOptions,
  type LowMemoryVcfOptions,
  type LowMemoryStatsOptions,
} from './convert/low-memory.js';
export { OutputType, type OutputTypeOptions } from './write/output-type.js';
export { DEFAULT_BGZF_LEVEL } from './write/bgzf.js';
export { resolvePairs, automaticPairs, type HaplotypePair } from './convert/pairs.js';
export { defineTask, AlleleCode, type ContigTask, type ContigView, type TaskArgs, type TaskResult } from './worker/contig-view.js';
export type { ContigArrow, AlleleVector } from './worker/contig-arrow.js';
export type { MatrixColumn, AlleleColumn, PositionColumn, Site } from './layout/matrix-column.js';
export { GenomatrixError, InputError, UsageError, ExitCode, type InputLocation } from './errors.js';
export { LAYOUT_VERSION, COLUMN_ALIGNMENT, type MatrixLayout, type BatchLayout, type BufferRef, type BatchViews } from './layout/matrix-layout.js';
export { MAX_ALLELES, MAX_ALLELE_BYTES, SEED_ALLELES } from './layout/allele-dictionary.js';
export { vcf, vcfHeader, commandLine, VcfDeletions, VcfUnpaired, type VcfOptions, type VcfSummary } from './convert/vcf.js';
export { vcfAltAllele, vcfRefAllele } from './convert/vcf-alleles.js';
export {
  stats,
  mergeStats,
  type StatsOptions,
  type MatrixStats,
  type ContigStats,
  type SiteStats,
  type HaplotypeStats,
  type AlleleCount,
  type PairStats,
} from './convert/stats.js';
export { statsTable, STATS_COLUMNS, StatsStatistic } from './convert/stats-table.js';
export { pack, lowMemoryPack, type PackOptions, type LowMemoryPackOptions, type PackSummary } from './convert/pack.js';
export { describeMatrix, describePackedMatrix, formatDescription, type MatrixDescription, type ColumnDescription } from './convert/describe-matrix.js';
export type { MatrixOrigin } from './layout/matrix-origin.js';
export { parseRegions, readRegionsFile, regionSet, type Region, type RegionSet, type Interval } from './select/regions.js';
export { parseSamples, type SampleSelection } from './select/samples.js';
export { writeFormat, formatConversion, type OutputFormat, type FormatOptions } from './formats/output-format.js';
export { formats } from './formats/registry.js';
