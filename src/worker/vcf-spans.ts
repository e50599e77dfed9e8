// Spans of VCF records that overlap one haplotype's other events (docs/vcf.md, "Overlapping
// events"), and the test bcftools norm applies to a record. Pure functions over runs and alleles.
//
// bcftools consensus applies one haplotype's records in order and skips one that starts inside the
// REF span of the last it applied ("overlaps with another variant"). A haplotype whose allele in a
// multi-base record is not REF therefore has its whole sequence over the span in that allele, and
// the span reaches the end of its deletions that start inside it (the span "closes" over them).

import { RunForm, type DeletionRun } from './vcf-runs.js';

/** POS, REF and ALT alleles of a record. */
export interface RecordAlleles {
  pos: number;
  ref: string;
  alts: string[];
}

/** A record's span: the last position its events reach, and that position closed over its carriers' events. */
export interface Span {
  base: number;
  closed: number;
  /** The haplotypes whose allele is not REF: the record's deletions and the SNPs at its POS. */
  carriers: Set<number>;
}

/** Where a run's records start: its record's POS; for the star form, the position before its first `-`. */
export function runStart(pos: Int32Array, run: DeletionRun): number {
  return run.form === RunForm.star ? (pos[run.members[0] as number] as number) - 1 : run.recordPos;
}

/**
 * The last position deleted by a run of `runs` (one haplotype's, in order) that starts after
 * position `at` and at or before `last`, when it is after `last`; else `last`.
 */
export function overrun(runs: readonly DeletionRun[], pos: Int32Array, at: number, last: number): number {
  let low = 0;
  let high = runs.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((runs[middle] as DeletionRun).lastPos <= at) low = middle + 1;
    else high = middle;
  }
  let end = last;
  for (let k = low; k < runs.length; k++) {
    const run = runs[k] as DeletionRun;
    if (run.form === RunForm.unknown) continue;
    const start = runStart(pos, run);
    if (start > last) break;
    const runEnd = run.form === RunForm.star ? (pos[run.members[run.members.length - 1] as number] as number) : run.lastPos;
    if (start > at && runEnd > end) end = runEnd;
  }
  return end;
}

/** Some deletion of `runs` (in order of POS) was written before `position` and deletes it. */
export function inside(runs: readonly DeletionRun[], position: number): boolean {
  // The last run written before `position`, by halving: runs do not overlap, so it is the only candidate.
  let low = 0;
  let high = runs.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((runs[middle] as DeletionRun).recordPos < position) low = middle + 1;
    else high = middle;
  }
  const run = runs[low - 1];
  return run !== undefined && run.lastPos >= position;
}

/** bcftools norm leaves the record as it is (docs/vcf.md, "How bcftools norm decides"). */
export function normLeaves(record: RecordAlleles): boolean {
  const { ref, alts } = record;
  if (alts.length === 0 || alts.some((alt) => alt === '*' || alt.startsWith('<'))) return true;
  const end = ref[ref.length - 1];
  const start = ref[0];
  const sameEnd = alts.every((alt) => alt[alt.length - 1] === end);
  const sameStart = ref.length > 1 && alts.every((alt) => alt.length > 1 && alt[0] === start);
  return !sameEnd && !sameStart;
}

/** The record's alleles without the last, then the first, bases they all share while all are longer than one (what bcftools norm trims); POS moves with the first. */
export function normTrimmed(record: RecordAlleles): RecordAlleles {
  let alleles = [record.ref, ...record.alts];
  let pos = record.pos;
  const shared = (end: boolean): boolean => {
    const base = (allele: string): string | undefined => (end ? allele[allele.length - 1] : allele[0]);
    return alleles.every((allele) => allele.length > 1 && base(allele) === base(alleles[0] as string));
  };
  while (shared(true)) alleles = alleles.map((allele) => allele.slice(0, -1));
  while (shared(false)) {
    alleles = alleles.map((allele) => allele.slice(1));
    pos++;
  }
  return { pos, ref: alleles[0] as string, alts: alleles.slice(1) };
}
