// Reference bases read from a plain FASTA through its faidx index (`samtools faidx`'s .fai:
// name, length, offset, bases per line, bytes per line), one small read per base asked.

import { closeSync, openSync, readSync } from 'node:fs';

/** One sequence's .fai entry and the FASTA it indexes. */
export interface FastaContig {
  /** The FASTA file. */
  path: string;
  name: string;
  /** Sequence length in bases. */
  length: number;
  /** Byte offset of the first base. */
  offset: number;
  lineBases: number;
  lineBytes: number;
}

/** A reader of single bases of one sequence (1-based positions; upper case); `close()` when done. */
export function fastaBases(contig: FastaContig): { base: (pos: number) => string | undefined; close: () => void } {
  let fd: number | undefined;
  const byte = Buffer.alloc(1);
  return {
    base(pos) {
      if (!Number.isInteger(pos) || pos < 1 || pos > contig.length) return undefined;
      fd ??= openSync(contig.path, 'r');
      const i = pos - 1;
      const at = contig.offset + Math.floor(i / contig.lineBases) * contig.lineBytes + (i % contig.lineBases);
      if (readSync(fd, byte, 0, 1, at) !== 1) return undefined;
      const base = String.fromCharCode(byte[0] as number).toUpperCase();
      return /^[ACGTN]$/.test(base) ? base : 'N';
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
