// Checks that two approaches wrote the same haplotype table: the same bytes, or else the same
// lines in the same order once the alt alleles of each line are sorted (alt order is the one
// detail an implementation could legitimately get different). Anything else is a mismatch.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export const Agreement = {
  identical: 'identical',
  sameUpToAltOrder: 'same up to alt order',
  mismatch: 'MISMATCH',
} as const;
export type Agreement = (typeof Agreement)[keyof typeof Agreement];

/** How two outputs compare, and where they first differ when they do. */
export interface Comparison {
  agreement: Agreement;
  /** Data lines of `actual` (header excluded). */
  lines: number;
  /** 1-based line of the first difference, with both lines (cut to 160 characters). */
  firstDifference?: { line: number; expected: string; actual: string };
}

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Counts the data lines of a haplotype table (lines after the header). */
export async function countDataLines(path: string): Promise<number> {
  let newlines = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const bytes = chunk as Buffer;
    for (let at = bytes.indexOf(10); at >= 0; at = bytes.indexOf(10, at + 1)) newlines++;
  }
  return Math.max(0, newlines - 1);
}

/** The line with its alt field (the 4th) sorted, for comparing outputs that may order alt differently. */
function withSortedAlt(line: string): string {
  const fields = line.split('\t');
  if (fields.length > 3) fields[3] = (fields[3] ?? '').split(',').sort().join(',');
  return fields.join('\t');
}

/** Compares the output `actual` with the output `expected`. */
export async function compareOutputs(expected: string, actual: string): Promise<Comparison> {
  const lines = await countDataLines(actual);
  if ((await sha256(expected)) === (await sha256(actual))) return { agreement: Agreement.identical, lines };
  const left = createInterface({ input: createReadStream(expected), crlfDelay: Infinity })[Symbol.asyncIterator]();
  const right = createInterface({ input: createReadStream(actual), crlfDelay: Infinity })[Symbol.asyncIterator]();
  try {
    for (let line = 1; ; line++) {
      const [a, b] = await Promise.all([left.next(), right.next()]);
      if (a.done && b.done) return { agreement: Agreement.sameUpToAltOrder, lines };
      const x = a.done ? '(end of file)' : a.value;
      const y = b.done ? '(end of file)' : b.value;
      if (x !== y && (a.done || b.done || withSortedAlt(x) !== withSortedAlt(y))) {
        return { agreement: Agreement.mismatch, lines, firstDifference: { line, expected: x.slice(0, 160), actual: y.slice(0, 160) } };
      }
    }
  } finally {
    await left.return?.();
    await right.return?.();
  }
}
