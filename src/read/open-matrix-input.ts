// Opens a command's input: a file (its format told from its first bytes), or standard input for
// `-`, plain or gzip told the same way. Standard input is read once, in order, through the
// streaming path (read/stream-contigs.ts): its size is never needed.

import { Readable } from 'node:stream';
import { InputError, UsageError } from '../errors.js';
import { detectInput, InputFormat, type InputFile } from './input-format.js';

/** The name that stands for standard input. */
export const STDIN = '-';

/** The input `path` names: a file, or standard input for `-`. */
export async function openMatrixInput(path: string): Promise<InputFile> {
  return path === STDIN ? stdinInput() : detectInput(path);
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
  if (head.toString('latin1', 0, 6) === 'ARROW1') throw new UsageError('a packed .arrow matrix cannot be read from standard input: give its file name');
  const format = head[0] === 0x1f && head[1] === 0x8b ? InputFormat.gzip : InputFormat.text;
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
