// Reference bases read from a plain FASTA through its faidx index (`samtools faidx`'s .fai:
// name, length, offset, bases per line, bytes per line), a 64 KiB block at a time: the bases
// asked for lie close together (anchors of one row range).

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

const BLOCK = 1 << 16;

/** A reader of single bases of one sequence (1-based positions; upper case, other letters as N); `close()` when done. */
export function fastaBases(contig: FastaContig): { base: (pos: number) => string | undefined; close: () => void } {
  let fd: number | undefined;
  const block = Buffer.alloc(BLOCK);
  let blockStart = -1;
  let blockLength = 0;
  return {
    base(pos) {
      if (!Number.isInteger(pos) || pos < 1 || pos > contig.length) return undefined;
      const i = pos - 1;
      const at = contig.offset + Math.floor(i / contig.lineBases) * contig.lineBytes + (i % contig.lineBases);
      if (blockStart < 0 || at < blockStart || at >= blockStart + blockLength) {
        fd ??= openSync(contig.path, 'r');
        blockStart = Math.max(0, at - BLOCK / 2);
        blockLength = readSync(fd, block, 0, BLOCK, blockStart);
        if (at >= blockStart + blockLength) return undefined;
      }
      const base = String.fromCharCode(block[at - blockStart] as number).toUpperCase();
      return /^[ACGTN]$/.test(base) ? base : 'N';
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
