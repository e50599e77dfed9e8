// Opens a command's input: a file (its format told from its first bytes), or standard input for
// `-`, told the same way. Text and gzip on standard input are read once, in order, through the
// streaming path (read/stream-contigs.ts): their size is never needed. A packed .arrow matrix is
// read by the offsets in its footer, at the end: on standard input it is spooled to a temporary
// file first (read/stdin-spool.ts), and the run reads that file.

import { Readable } from 'node:stream';
import { InputError } from '../errors.js';
import { detectInput, formatOfHead, InputFormat, STDIN, type InputFile } from './input-format.js';
import { spoolStandardInput } from './stdin-spool.js';

export { STDIN } from './input-format.js';

/**
 * Runs `run` on the input `path` names: a file, or standard input for `-` (a packed matrix through
 * a spool, removed when `run` settles; messages name `-`).
 *
 * @example
 * const sites = await withMatrixInput('-', async (input) => countSites(input));
 */
export async function withMatrixInput<T>(path: string, run: (input: InputFile) => Promise<T>): Promise<T> {
  if (path !== STDIN) return run(detectInput(path));
  const input = await stdinInput();
  if (input.format !== InputFormat.arrow) return run(input);
  return spoolStandardInput(input.stream as Readable, (file) => run(detectInput(file)));
}

/** Standard input, its format told from its first bytes (which are handed on with the rest). */
async function stdinInput(): Promise<InputFile> {
  const chunks = process.stdin[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let first = await chunks.next();
  // Enough bytes to tell gzip (2) and Arrow (6) from text.
  let head: Buffer = first.done ? Buffer.alloc(0) : first.value;
  while (head.length < 6 && !first.done) {
    first = await chunks.next();
    if (!first.done) head = Buffer.concat([head, first.value]);
  }
  if (head.length === 0) throw new InputError({ file: STDIN }, 'empty file: expected a genome matrix');
  const format = formatOfHead(head);
  const done = first.done;
  const stream = Readable.from(
    (async function* bytes() {
      yield head;
      if (done) return;
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
    })(),
    { objectMode: false },
  );
  return { path: STDIN, format, size: 0, stream };
}
