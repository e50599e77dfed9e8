// How matrix alleles are written in VCF 4.2, where REF must be a base string and ALT a base
// string, `*` or a symbolic `<ID>` allele (VCF 4.2, section 1.4.1):
//   - `N` is missing: a cell `N` has genotype `.` and is never an ALT allele (even when REF is N);
//   - base strings (`A`, `AT`, `acg`, only A C G T N in either case) are written as they are;
//   - `-` (this base deleted in that haplotype) and a literal `*` are the spanning-deletion allele `*`;
//   - any other allele (IUPAC codes such as `R`, other strings) becomes the symbolic allele `<R>`,
//     declared by an `##ALT` line; one that cannot be an ID (whitespace, `,` `<` `>` `=` `"` `\`, not
//     starting with a letter or digit, or a reserved ID such as DEL) is written as missing `.`;
//   - a REF that is not a base string (`-`, `*`, `R`...) is written as `N`.

/** A matrix allele code's VCF form, computed once per run on the main thread from the dictionary. */
export interface VcfAlleleTables {
  /** Code -> index into `altTexts`, or -1 when cells with the allele are written as missing. */
  altOf: Int16Array;
  /** The distinct ALT strings, in order of the smallest code that maps to each. */
  altTexts: string[];
  /** Code -> REF string. */
  refTexts: string[];
  /** `##ALT` meta lines declaring the symbolic alleles, without line ends. */
  altDeclarations: string[];
}

const BASES = /^[ACGTNacgtn]+$/;
const SYMBOLIC_ID = /^[A-Za-z0-9][!-~]*$/;
const NOT_IN_ID = /[,<>="\\]/;
const RESERVED_IDS = new Set(['DEL', 'INS', 'DUP', 'INV', 'CNV', 'BND']);

const IUPAC: Record<string, string> = {
  R: 'A or G',
  Y: 'C or T',
  S: 'G or C',
  W: 'A or T',
  K: 'G or T',
  M: 'A or C',
  B: 'C, G or T',
  D: 'A, G or T',
  H: 'A, C or T',
  V: 'A, C or G',
};

/** The VCF ALT form of one matrix allele: a base string, `*`, `<ID>`, or null (written as missing). */
export function vcfAltAllele(allele: string): string | null {
  if (allele === 'N') return null;
  if (BASES.test(allele)) return allele;
  if (allele === '-' || allele === '*') return '*';
  if (!SYMBOLIC_ID.test(allele) || NOT_IN_ID.test(allele)) return null;
  if (RESERVED_IDS.has(allele.split(':')[0] as string)) return null;
  return `<${allele}>`;
}

/** The VCF REF form of one matrix allele: itself when a base string, otherwise `N`. */
export function vcfRefAllele(allele: string): string {
  return BASES.test(allele) ? allele : 'N';
}

/** Builds the code tables of a dictionary (alleles in code order). */
export function vcfAlleleTables(alleles: readonly string[]): VcfAlleleTables {
  const altOf = new Int16Array(256).fill(-1);
  const altTexts: string[] = [];
  const altDeclarations: string[] = [];
  alleles.forEach((allele, code) => {
    const text = vcfAltAllele(allele);
    if (text === null) return;
    let index = altTexts.indexOf(text);
    if (index < 0) {
      index = altTexts.push(text) - 1;
      if (text.startsWith('<')) altDeclarations.push(`##ALT=<ID=${allele},Description="${describeSymbolic(allele)}">`);
    }
    altOf[code] = index;
  });
  return { altOf, altTexts, refTexts: alleles.map(vcfRefAllele), altDeclarations };
}

function describeSymbolic(allele: string): string {
  const meaning = IUPAC[allele.toUpperCase()];
  return meaning ? `IUPAC ambiguity code ${allele}: ${meaning}` : `Genome matrix allele ${allele}`;
}
