// JSON text of a value in pieces of bounded size: the same characters as
// `JSON.stringify(value, null, 2)`, but no piece holds more than about `chunkChars` characters
// plus one leaf, so an output of any size (statistics of 100,000 haplotypes over many contigs)
// never needs one string past V8's limit (about 512 MB).
//
// Arrays and objects are walked (their depth is the data's shape, a few levels, never its size);
// every other value is written by JSON.stringify itself.

/** Characters per piece `jsonChunks` yields, by default (1 MiB). */
export const JSON_CHUNK_CHARS = 1 << 20;

/** `JSON.stringify(value, null, 2)` in pieces of about `chunkChars` characters (plain data: objects, arrays, primitives). */
export function* jsonChunks(value: unknown, chunkChars = JSON_CHUNK_CHARS): Generator<string> {
  let chunk = '';
  for (const piece of jsonPieces(value, '')) {
    chunk += piece;
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}

/** The text of `value` at indentation `indent`, in small pieces. */
function* jsonPieces(value: unknown, indent: string): Generator<string> {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
    const inner = `${indent}  `;
    if (Array.isArray(value)) {
      if (value.length === 0) {
        yield '[]';
        return;
      }
      yield '[';
      for (let i = 0; i < value.length; i++) {
        yield `${i > 0 ? ',' : ''}\n${inner}`;
        // JSON.stringify writes `null` for array entries it cannot write (undefined, functions).
        yield* writable(value[i]) ? jsonPieces(value[i], inner) : ['null'];
      }
      yield `\n${indent}]`;
      return;
    }
    let first = true;
    for (const [key, entry] of Object.entries(value)) {
      if (!writable(entry)) continue; // JSON.stringify leaves such properties out
      yield `${first ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
      yield* jsonPieces(entry, inner);
      first = false;
    }
    yield first ? '{}' : `\n${indent}}`;
    return;
  }
  yield JSON.stringify(value, null, 2);
}

/** A value JSON.stringify writes (not undefined, a function or a symbol). */
function writable(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}
