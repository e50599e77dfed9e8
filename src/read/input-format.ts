// Which kind of file an input is, told from its first bytes (never from its name).

import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { describeFsError } from './header.js';

export const InputFormat = {
  text: 'text',
  gzip: 'gzip',
  arrow: 'arrow',
} as const;
export type InputFormat = (typeof InputFormat)[keyof typeof InputFormat];

/** The name that stands for standard input. */
export const STDIN = '-';

export interface InputFile {
  path: string;
  format: InputFormat;
  /** Size on disk, in bytes (0 for standard input: not known). */
  size: number;
  /** Standard input (`-`), read once in order: its bytes, from the first (read/open-matrix-input.ts). */
  stream?: import('node:stream').Readable;
}

const ARROW_MAGIC = 'ARROW1';

/** The format of an input whose first bytes are `head` (at least 6 of them, unless the input is shorter). */
export function formatOfHead(head: Buffer): InputFormat {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return InputFormat.gzip;
  if (head.length >= 6 && head.toString('latin1', 0, 6) === ARROW_MAGIC) return InputFormat.arrow;
  return InputFormat.text;
}

/** Opens `path` to read its magic bytes; a missing or unreadable file is a usage error. */
export function detectInput(path: string): InputFile {
  let fd: number;
  try {
    // Checked before opening: opening a FIFO for reading blocks until a writer comes.
    const kind = statSync(path);
    if (!kind.isFile() && !kind.isDirectory()) {
      throw new UsageError(`cannot read ${path}: not a regular file (a pipe, socket or device); genomatrix reads its input in parallel byte ranges, so give a file`);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot open ${path}: ${describeFsError(error)}`);
  }
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new UsageError(`cannot open ${path}: ${describeFsError(error)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UsageError(`cannot read ${path}: is a directory`);
    const head = Buffer.alloc(8);
    const n = readSync(fd, head, 0, 8, 0);
    return { path, format: formatOfHead(head.subarray(0, n)), size: stat.size };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${path}: ${describeFsError(error)}`);
  } finally {
    closeSync(fd);
  }
}
