// Standard input for the runs that read their input twice or by offset: the VCF header pass
// (convert/vcf-header-pass.ts), `info`, `verify`, and a packed .arrow matrix given as `-` to any
// command (read/open-matrix-input.ts: a packed file is read by its footer's offsets). Standard
// input is copied as it comes (gzip stays compressed, a packed matrix stays packed) to a temporary
// file in the system's temporary directory (os.tmpdir(): TMPDIR when set), and the run reads that
// file. The spool is named as an output's temporary is (`.stdin.genomatrix-PID.tmp`,
// write/output-guard.ts), so it is removed on success, on failure, on SIGINT/SIGTERM
// (write/temporary-files.ts), and, after a run killed with SIGKILL, by the next run that spools.
// Messages about the spool name `-` instead.

import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GenomatrixError, InputError, UsageError } from '../errors.js';
import { temporaryName } from '../write/output-guard.js';
import { forgetTemporary, rememberTemporary, removeStaleTemporaries } from '../write/temporary-files.js';
import { describeFsError } from './header.js';
import { STDIN } from './input-format.js';

/** The name the spool's temporary is made from. */
const SPOOL_NAME = 'stdin';

/**
 * Runs `run` on a file: `path` itself, or for `-` a spool of standard input, removed when `run`
 * settles.
 *
 * @example
 * await withStdinSpool('-', (file) => verifyPacked(file));
 */
export async function withStdinSpool<T>(path: string, run: (file: string) => Promise<T>): Promise<T> {
  return path === STDIN ? spoolStandardInput(process.stdin, run) : run(path);
}

/** Copies `stream` (the bytes of standard input) to a spool and runs `run` on it; the spool is removed when `run` settles. */
export async function spoolStandardInput<T>(stream: Readable, run: (file: string) => Promise<T>): Promise<T> {
  const directory = tmpdir();
  removeStaleTemporaries(directory, SPOOL_NAME);
  const spool = join(directory, temporaryName(SPOOL_NAME));
  rememberTemporary(spool);
  try {
    try {
      await pipeline(stream, createWriteStream(spool, { flags: 'wx' }));
    } catch (error) {
      throw new GenomatrixError(`cannot copy standard input to ${spool}: ${describeFsError(error)} (TMPDIR chooses the directory)`);
    }
    try {
      return await run(spool);
    } catch (error) {
      throw asStdin(error, spool);
    }
  } finally {
    await unlink(spool).catch(() => undefined);
    forgetTemporary(spool);
  }
}

/** The error with the spool's name replaced by `-`, the name the user gave. */
function asStdin(error: unknown, spool: string): unknown {
  if (!(error instanceof GenomatrixError) || !error.message.includes(spool)) return error;
  if (error instanceof InputError) {
    const location = error.location.file === spool ? { ...error.location, file: STDIN } : error.location;
    return new InputError(location, error.problem.replaceAll(spool, STDIN));
  }
  const message = error.message.replaceAll(spool, STDIN);
  return error instanceof UsageError ? new UsageError(message) : new GenomatrixError(message, error.exitCode);
}
