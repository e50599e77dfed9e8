// A layout's contig names (`MatrixLayout.contigs`), for a text load, kept as the parse handed them
// back: a few strings of names (one per parse chunk) and, per contig, where its name is in them.
// Strings of their own are made only when something reads `contigs`; the span tasks' names come
// from the names' bytes (`nameBytes`), made with no string per contig. For 100,000 contigs, a
// string each on the main thread cost it more in collections (the young generation copying them
// all, time after time) than the workers' whole parse of their lines, and a conversion such as
// the haplotype table never reads one.

import type { MatrixLayout } from './matrix-layout.js';
import { sharedFloat64 } from './shared-numbers.js';

/** The UTF-8 bytes of every contig name of a layout, in shared memory: contig `c`'s are `names[start[c], start[c] + length[c])`. */
export interface NameBytes {
  readonly names: Uint8Array;
  readonly start: Float64Array;
  readonly length: Float64Array;
  /** Whether every name is ASCII (each byte a character). */
  readonly ascii: boolean;
  /** The most bytes of a name. */
  readonly longest: number;
}

/** Contig names made into strings only when asked for. */
export interface ContigNames {
  readonly count: number;
  /** The name of contig `c`. */
  name(c: number): string;
  /** Every name, in order (made once). */
  strings(): string[];
  /** Whether `strings` made them. */
  readonly stringsMade: boolean;
  /** Every name's bytes (made once). */
  bytes(): NameBytes;
}

/** Layouts whose contigs came as `ContigNames` (made strings when `contigs` is first read), and those names. */
const lazy = new WeakMap<MatrixLayout, ContigNames>();

/** Gives `layout` the contigs `names`, made strings when `layout.contigs` is first read. */
export function lazyContigs(layout: MatrixLayout, names: ContigNames): void {
  Object.defineProperty(layout, 'contigs', contigsProperty(names));
  lazy.set(layout, names);
}

/**
 * The `contigs` property of a layout whose names are `names`: their strings (made once, when
 * first read), until another list is given (the layout then no longer has `names`).
 */
function contigsProperty(names: ContigNames): PropertyDescriptor {
  return {
    enumerable: true,
    configurable: true,
    get: () => names.strings(),
    set(this: MatrixLayout, contigs: string[]) {
      lazy.delete(this);
      Object.defineProperty(this, 'contigs', { value: contigs, writable: true, enumerable: true, configurable: true });
    },
  };
}

/** Gives `to` the contigs of `from`, still unmade when they are (a unit's layout of a loaded one: dispatch/contig-source.ts). */
export function copyContigs(from: MatrixLayout, to: MatrixLayout): void {
  const names = lazy.get(from);
  if (names) lazyContigs(to, names);
  else to.contigs = from.contigs;
}

/** Whether `layout`'s contig names are strings (they are unless they came as `ContigNames` and none read them). */
export function contigsMade(layout: MatrixLayout): boolean {
  return lazy.get(layout)?.stringsMade ?? true;
}

/** The name of contig `c` of `layout`, without making every name a string. */
export function contigName(layout: MatrixLayout, c: number): string {
  const names = lazy.get(layout);
  return names ? names.name(c) : (layout.contigs[c] ?? '');
}

/** Every contig name's bytes of `layout` (see `NameBytes`): as the load kept them, else made from the names (once per layout). */
export function nameBytes(layout: MatrixLayout): NameBytes {
  const names = lazy.get(layout);
  if (names) return names.bytes();
  // By the list of names, which the layouts of a loaded matrix's units share.
  let bytes = madeBytes.get(layout.contigs);
  if (!bytes) madeBytes.set(layout.contigs, (bytes = stringBytes(layout.contigs)));
  return bytes;
}

const madeBytes = new WeakMap<readonly string[], NameBytes>();

/** The most bytes of a contig name of `layout`. */
export function longestName(layout: MatrixLayout): number {
  return nameBytes(layout).longest;
}

/** Names joined at a time by `stringBytes`: V8 joins 100,000 short strings in 13-20 ms, 2,048 at a time in 6 ms. */
const JOINED_NAMES = 2048;

/** `names` as UTF-8 bytes one after the other, in shared memory (see `NameBytes`). */
export function stringBytes(names: readonly string[]): NameBytes {
  const parts: string[] = [];
  let bytes = 0;
  let units = 0;
  for (let i = 0; i < names.length; i += JOINED_NAMES) {
    const part = names.slice(i, i + JOINED_NAMES).join('');
    parts.push(part);
    bytes += Buffer.byteLength(part, 'utf8');
    units += part.length;
  }
  const shared = Buffer.from(new SharedArrayBuffer(bytes));
  let at = 0;
  for (const part of parts) at += shared.write(part, at, 'utf8');
  // Every name ASCII: then, and only then, as many bytes as UTF-16 units.
  const ascii = bytes === units;
  const start = sharedFloat64(names.length);
  const length = sharedFloat64(names.length);
  const longest = nameOffsets(names, ascii, start, length);
  return { names: new Uint8Array(shared.buffer), start, length, ascii, longest };
}

/** Where each name starts in their UTF-8 bytes one after the other, and its bytes; returns the most (a loop of its own, compiled alone). */
function nameOffsets(names: readonly string[], ascii: boolean, start: Float64Array, length: Float64Array): number {
  let at = 0;
  let longest = 0;
  for (let c = 0; c < names.length; c++) {
    const name = names[c] as string;
    const bytes = ascii ? name.length : Buffer.byteLength(name, 'utf8');
    start[c] = at;
    length[c] = bytes;
    at += bytes;
    if (bytes > longest) longest = bytes;
  }
  return longest;
}
