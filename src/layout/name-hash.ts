// A contig name's 32-bit FNV-1a hash over its UTF-8 bytes, and the longest of many names' bytes.
// The parse workers hash each contig run's name as they read it (its bytes are at hand), so that
// the main thread groups the runs of 100,000 contigs through a table of numbers instead of hashing
// 100,000 new strings into a Map.

/** FNV-1a's 32-bit offset basis and prime. */
const NAME_HASH_BASIS = 0x811c9dc5;
const NAME_HASH_PRIME = 0x01000193;

/** The hash of the name whose UTF-8 bytes are `bytes[start, end)`. */
export function nameHash(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let hash = NAME_HASH_BASIS;
  for (let k = start; k < end; k++) hash = Math.imul(hash ^ (bytes[k] as number), NAME_HASH_PRIME);
  return hash | 0;
}

const utf8 = new TextEncoder();

/** The hash of a name given as a string (`nameHash` of its UTF-8 bytes). */
export function stringHash(name: string): number {
  return nameHash(utf8.encode(name));
}

/**
 * The longest name's UTF-8 bytes. An ASCII name's are its characters, which a loop over them
 * tells; only other names are measured by `Buffer.byteLength`. This runs on the main thread
 * before the first task, over every contig: 100,000 calls of `Buffer.byteLength` (or the names
 * joined into one string, then a `for...of` over them) took 25-30 ms there.
 */
export function longestUtf8(names: readonly string[]): number {
  let longest = 0;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (3 * name.length <= longest) continue; // even at 3 bytes a character, not longer
    let ascii = true;
    for (let k = 0; k < name.length && ascii; k++) ascii = name.charCodeAt(k) < 0x80;
    const bytes = ascii ? name.length : Buffer.byteLength(name);
    if (bytes > longest) longest = bytes;
  }
  return longest;
}
