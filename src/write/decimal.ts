// Numbers written as ASCII text straight into bytes, for text of many lines (the statistics
// table, the VCF header's `##contig` lines, the VCF records' POS and allele indexes): no string
// per number; and counts with their digits grouped for people (`info`, progress lines).

const ZERO = 0x30;

/**
 * `n` as `toLocaleString('en-US')` writes it (`1,234,567`): a safe integer's digits grouped here,
 * any other number through `Intl` (a call of which cost 1 us: `info` writes a line per column, of
 * 100,000 columns).
 */
export function withThousands(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) return n.toLocaleString('en-US');
  const digits = String(n);
  let text = digits.slice(0, digits.length % 3 || 3);
  for (let i = text.length; i < digits.length; i += 3) text += `,${digits.slice(i, i + 3)}`;
  return text;
}

/**
 * Writes `n` as JavaScript prints it at `out[at]`: the digits of a safe integer 0 or more written
 * here, any other number through `String`. Returns the offset after the text; `out` must have room
 * for it (24 bytes hold any number).
 */
export function writeDecimal(out: Uint8Array, at: number, n: number): number {
  if (!(Number.isSafeInteger(n) && n >= 0)) {
    const text = String(n);
    for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
    return at;
  }
  let digits = 1;
  for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  const end = at + digits;
  for (let k = end - 1, rest = n; k >= at; k--, rest = Math.floor(rest / 10)) out[k] = ZERO + (rest % 10);
  return end;
}
