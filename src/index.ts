// The public API of genomatrix.

export { loadMatrix, Matrix, type Contig, type LoadOptions, type MapOptions } from './matrix.js';
export { haplotype, haplotypeHeader, type HaplotypeOptions, type HaplotypeSummary } from './convert/haplotype.js';
export { streamHaplotype, type StreamHaplotypeOptions } from './convert/stream-haplotype.js';
export { resolvePairs, automaticPairs, type HaplotypePair } from './convert/pairs.js';
export { defineTask, type ContigTask, type ContigView } from './worker/contig-view.js';
export { GenomatrixError, InputError, UsageError, ExitCode, type InputLocation } from './errors.js';
export { LAYOUT_VERSION, COLUMN_ALIGNMENT, type MatrixLayout, type BatchLayout, type BufferRef, type BatchViews } from './layout/matrix-layout.js';
export { MAX_ALLELES, MAX_ALLELE_BYTES, SEED_ALLELES } from './layout/allele-dictionary.js';
