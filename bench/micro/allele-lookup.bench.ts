// Micro-benchmark: allele -> code lookups, the innermost step of a parse. genomatrix's lookup
// table indexed by the allele's byte (one-byte alleles, nearly all of them) against a
// Map<string, number> over the cells as a split would hand them over; plus the shared
// dictionary's byte search, the path genomatrix takes for alleles of several bytes.

import b from 'benny';
import { AlleleDictionary } from '../../src/layout/allele-dictionary.js';
import { consume, matrixChunk, resultsFolder } from './micro-data.js';

const chunk = matrixChunk(4_000);
/** The allele cells of the chunk (REF and haplotypes): their bytes, one per cell, and as strings. */
const cellStrings = new TextDecoder()
  .decode(chunk.bytes)
  .split('\n')
  .filter((line) => line !== '')
  .flatMap((line) => line.split('\t').slice(2));
const cellBytes = Uint8Array.from(cellStrings, (s) => s.charCodeAt(0));
const cells = cellStrings.length;

const dictionary = AlleleDictionary.create();
const lut = new Int16Array(256).fill(-1);
const map = new Map<string, number>();
for (const allele of dictionary.toStrings()) {
  lut[allele.charCodeAt(0)] = map.size;
  map.set(allele, map.size);
}

function byByte(): number {
  let sum = 0;
  for (let i = 0; i < cells; i++) sum += lut[cellBytes[i] as number] as number;
  return sum;
}

function byMap(): number {
  let sum = 0;
  for (let i = 0; i < cells; i++) sum += map.get(cellStrings[i] as string) ?? -1;
  return sum;
}

function byDictionarySearch(): number {
  let sum = 0;
  for (let i = 0; i < cells; i++) sum += dictionary.find(cellBytes, i, i + 1);
  return sum;
}

if (byByte() !== byMap() || byMap() !== byDictionarySearch()) throw new Error('the lookups disagree');

await b.suite(
  `allele dictionary lookup (${cells} cells)`,
  b.add('baseline: Map<string, number>.get', () => consume(byMap())),
  b.add('genomatrix: lookup table by byte', () => consume(byByte())),
  b.add('genomatrix: AlleleDictionary.find (multi-byte path)', () => consume(byDictionarySearch())),
  b.cycle(),
  b.complete(),
  b.save({ file: 'micro-allele-lookup', folder: resultsFolder, format: 'json', version: null }),
);
