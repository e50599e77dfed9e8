// The haplotypes of a one-contig matrix as a multi-FASTA alignment (one sequence per haplotype,
// one column per site), the input snp-sites reads: the same data for the VCF comparison.

import { readFileSync, renameSync, writeFileSync } from 'node:fs';

const NL = 10;
const TAB = 9;

/** Writes `fasta` from the matrix at `matrix` (header line, one-byte alleles, one contig). */
export function fastaAlignment(matrix: string, fasta: string): void {
  const text = readFileSync(matrix);
  const headerEnd = text.indexOf(NL);
  const names = text.toString('utf8', 0, headerEnd).split('\t').slice(3);
  let sites = 0;
  for (let k = headerEnd + 1; k < text.length; k++) if (text[k] === NL) sites++;
  const sequences = names.map(() => Buffer.alloc(sites));
  let row = 0;
  let p = headerEnd + 1;
  while (p < text.length && row < sites) {
    let tabs = 0;
    while (tabs < 3) if (text[p++] === TAB) tabs++;
    for (let h = 0; h < names.length; h++) {
      (sequences[h] as Buffer)[row] = text[p] as number;
      p += 2; // one byte and its separator
    }
    row++;
  }
  const parts: Buffer[] = [];
  names.forEach((name, h) => parts.push(Buffer.from(`>${name}\n`), sequences[h] as Buffer, Buffer.from('\n')));
  writeFileSync(`${fasta}.partial`, Buffer.concat(parts));
  renameSync(`${fasta}.partial`, fasta);
}
