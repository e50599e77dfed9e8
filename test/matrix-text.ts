// Reads a genome matrix the plain way, line by line as strings, for tests that check the engine
// against a computation written independently of it.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface TextSite {
  chrom: string;
  pos: number;
  ref: string;
  /** One cell per haplotype column. */
  cells: string[];
}

export interface TextMatrix {
  samples: string[];
  /** The contigs in order of first appearance, each with its rows in file order. */
  contigs: { name: string; sites: TextSite[] }[];
}

/** Parses a plain or gzip matrix file with a header line. */
export function readMatrixText(path: string): TextMatrix {
  let bytes = readFileSync(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const lines = bytes.toString('utf8').split(/\r?\n/).filter((line) => line !== '');
  const [header, ...data] = lines;
  const samples = (header ?? '').split('\t').slice(3);
  const contigs = new Map<string, TextSite[]>();
  for (const line of data) {
    const [chrom = '', pos = '', ref = '', ...cells] = line.split('\t');
    const sites = contigs.get(chrom) ?? [];
    sites.push({ chrom, pos: Number(pos), ref, cells });
    contigs.set(chrom, sites);
  }
  return { samples, contigs: [...contigs].map(([name, sites]) => ({ name, sites })) };
}

/** Every site, contig after contig: the order of the matrix's table rows. */
export function tableRows(matrix: TextMatrix): TextSite[] {
  return matrix.contigs.flatMap((contig) => contig.sites);
}
