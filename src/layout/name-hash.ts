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
