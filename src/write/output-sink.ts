// Where an output goes: a file written under a temporary name and renamed when complete (so a
// failed run never leaves a file that looks finished), or standard output.

import { statSync, type Stats } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GenomatrixError, UsageError } from '../errors.js';
import { describeFsError } from '../read/header.js';
import { coalesceWrites } from './coalesce-writes.js';
import { checkOutput, temporaryName } from './output-guard.js';
import type { OutputSink } from './sink.js';
import { forgetTemporary, rememberTemporary, removeStaleTemporaries } from './temporary-files.js';

/** Options of `openOutput`. */
export interface OutputOptions {
  /** Files the run reads: the output may be none of them, even through a link (exit 2). */
  inputs?: readonly (string | undefined)[];
}

export type { OutputSink } from './sink.js';

/** Standard output was closed by its reader (`genomatrix ... | head`): stop quietly. */
export class ClosedPipeError extends GenomatrixError {
  constructor() {
    super('output pipe closed', 0);
  }
}

/**
 * Opens `path` for writing through a temporary name (`.NAME.genomatrix-PID.tmp`, renamed by
 * `commit`), or standard output when `path` is undefined or `-`. The path is checked first
 * (write/output-guard.ts), against `options.inputs` too; temporaries of `path` left by killed
 * runs are removed. Small writes are gathered (write/coalesce-writes.ts).
 */
export async function openOutput(path?: string, options: OutputOptions = {}): Promise<OutputSink> {
  return coalesceWrites(await openUnbuffered(path, options));
}

async function openUnbuffered(path: string | undefined, options: OutputOptions): Promise<OutputSink> {
  if (path === undefined || path === '-') return stdoutSink();
  checkOutput(path, options.inputs);
  const kind = statOrUndefined(path);
  // A device or a pipe (/dev/stdout, /dev/full, a FIFO) is written as it is: never renamed over.
  if (kind && !kind.isFile()) return deviceSink(path);
  removeStaleTemporaries(dirname(path), basename(path));
  const temporary = join(dirname(path), temporaryName(basename(path)));
  let handle: FileHandle;
  try {
    handle = await open(temporary, 'wx');
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${describeFsError(error)}`);
  }
  rememberTemporary(temporary);
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    async write(bytes) {
      try {
        let at = 0;
        while (at < bytes.length) at += (await handle.write(bytes, at, bytes.length - at)).bytesWritten;
      } catch (error) {
        throw new GenomatrixError(`cannot write ${path}: ${describeFsError(error)}`);
      }
    },
    async commit() {
      try {
        await close();
        await rename(temporary, path);
      } catch (error) {
        throw new GenomatrixError(`cannot write ${path}: ${describeFsError(error)}`);
      }
      forgetTemporary(temporary);
    },
    async abort() {
      await close().catch(() => undefined);
      await unlink(temporary).catch(() => undefined);
      forgetTemporary(temporary);
    },
  };
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

async function deviceSink(path: string): Promise<OutputSink> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'w');
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${describeFsError(error)}`);
  }
  const close = (): Promise<void> => handle.close().catch(() => undefined);
  return {
    async write(bytes) {
      try {
        let at = 0;
        while (at < bytes.length) at += (await handle.write(bytes, at, bytes.length - at)).bytesWritten;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EPIPE') throw new ClosedPipeError();
        throw new GenomatrixError(`cannot write ${path}: ${describeFsError(error)}`);
      }
    },
    commit: close,
    abort: close,
  };
}

function stdoutSink(): OutputSink {
  const stdout = process.stdout;
  let failure: Error | undefined;
  stdout.on('error', (error: NodeJS.ErrnoException) => {
    failure = error.code === 'EPIPE' ? new ClosedPipeError() : new GenomatrixError(`cannot write standard output: ${describeFsError(error)}`);
  });
  return {
    async write(bytes) {
      if (failure) throw failure;
      // Resolve only once the bytes are handed to the system: the caller reuses the buffer.
      await new Promise<void>((resolve) => stdout.write(bytes, () => resolve()));
      if (failure) throw failure;
    },
    async commit() {
      if (failure) throw failure;
    },
    async abort() {},
  };
}
