// Where a matrix came from, and how that travels in the schema metadata of a packed .arrow file
// (native-layout/README.md, "The file layout"). No timestamps: packing the same input twice gives
// the same bytes.

import { CHECKSUM_ALGORITHM, CHECKSUMS_SCHEMA_KEY } from './buffer-checksum.js';

/** The input a matrix was parsed from, and the pairs stored with it. */
export interface MatrixOrigin {
  /** How the loaded file was stored: `text`, `gzip` or `arrow`. */
  format: 'text' | 'gzip' | 'arrow';
  /** Base name of the text matrix it was parsed from (for `.arrow`, the one that was packed). */
  sourceName: string;
  /** Size in bytes of that text matrix. */
  sourceSize: number;
  /** Pairs stored by `pack --pairs` (`"10a:10b,13a:13b"`), the default of every command. */
  pairs?: string;
}

/**
 * Version of the packed file's layout (native-layout/README.md, "The file layout"): version 2 puts
 * small contigs together in one record batch (`MetadataKey.contigs`); version 1 had one record
 * batch per contig, and reads the same. The in-memory layout (`LAYOUT_VERSION`) has its own.
 */
export const FILE_LAYOUT_VERSION = 2;
/** File layout versions this genomatrix reads. */
const READ_VERSIONS: readonly string[] = ['1', '2'];

/** Keys of the schema metadata genomatrix writes. */
export const MetadataKey = {
  layoutVersion: 'genomatrix.layout_version',
  samples: 'genomatrix.samples',
  pairs: 'genomatrix.pairs',
  sourceName: 'genomatrix.source_name',
  sourceSize: 'genomatrix.source_size',
  /** Record batch metadata: `true` on a batch where a contig's POS decreases somewhere (packed with --allow-unsorted). */
  unsorted: 'genomatrix.unsorted',
  /** Record batch metadata: the number of contigs of a batch holding several (`CONTIG_COUNT_DIGITS` digits); absent on a batch of one contig. */
  contigs: 'genomatrix.contigs',
} as const;

/** The schema metadata of a packed matrix, in a fixed key order. */
export function originMetadata(origin: MatrixOrigin, samples: readonly string[]): Map<string, string> {
  const metadata = new Map<string, string>([
    [MetadataKey.layoutVersion, String(FILE_LAYOUT_VERSION)],
    [MetadataKey.samples, JSON.stringify(samples)],
    [CHECKSUMS_SCHEMA_KEY, CHECKSUM_ALGORITHM],
  ]);
  if (origin.pairs !== undefined) metadata.set(MetadataKey.pairs, origin.pairs);
  metadata.set(MetadataKey.sourceName, origin.sourceName);
  metadata.set(MetadataKey.sourceSize, String(origin.sourceSize));
  return metadata;
}

/** Reads the origin back from schema metadata; returns a problem string when it is not genomatrix's. */
export function readOriginMetadata(metadata: ReadonlyMap<string, string>): { origin: MatrixOrigin; samples: string[] } | string {
  const version = metadata.get(MetadataKey.layoutVersion);
  if (version === undefined) return `no ${MetadataKey.layoutVersion} in the schema metadata: not a matrix written by genomatrix pack`;
  if (!READ_VERSIONS.includes(version)) return `written with genomatrix layout version ${version}; this genomatrix reads versions ${READ_VERSIONS.join(' and ')}`;
  let samples: unknown;
  try {
    samples = JSON.parse(metadata.get(MetadataKey.samples) ?? '');
  } catch {
    samples = undefined;
  }
  if (!Array.isArray(samples) || !samples.every((name) => typeof name === 'string')) return `${MetadataKey.samples} is not a JSON list of names`;
  const origin: MatrixOrigin = {
    format: 'arrow',
    sourceName: metadata.get(MetadataKey.sourceName) ?? '',
    sourceSize: Number(metadata.get(MetadataKey.sourceSize) ?? 0),
  };
  const pairs = metadata.get(MetadataKey.pairs);
  if (pairs !== undefined) origin.pairs = pairs;
  return { origin, samples: samples as string[] };
}
