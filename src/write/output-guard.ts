// Checks an output path before any work: it names a file in a present, writable directory, with
// room for its temporary name, and it is not any input, even through a symbolic or hard link.
// The command line runs it once for every command (cli/command-checks.ts); `openOutput` runs it too,
// so a library call that names its inputs gets the same refusal.

import { accessSync, constants, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { describeFsError } from '../read/header.js';

/** The longest file name (bytes) Linux file systems take (NAME_MAX). */
export const NAME_MAX_BYTES = 255;
/** Digits of the largest process id (Linux's pid_max is at most 4194304). */
const PID_DIGITS = 7;

/** Name of the temporary an output is written under: `.NAME.genomatrix-PID.tmp`, beside it. */
export function temporaryName(name: string, pid: number = process.pid): string {
  return `.${name}.genomatrix-${pid}.tmp`;
}

/** Matches a temporary of `name` and captures the process id that wrote it. */
export function temporaryPattern(name: string): RegExp {
  return new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.genomatrix-(\\d+)\\.tmp$`);
}

/** The longest output name (bytes) that leaves room for the temporary's prefix and suffix. */
export const MAX_OUTPUT_NAME_BYTES = NAME_MAX_BYTES - Buffer.byteLength(temporaryName('', 10 ** (PID_DIGITS - 1)));

/**
 * Refuses (UsageError, exit 2) an output that cannot be written or that is one of `inputs`.
 * `path` undefined or `-` is standard output; a device or FIFO is written as it is (never an
 * input's twin: it holds no data of its own). Inputs that do not exist, or `-`, are skipped.
 */
export function checkOutput(path: string | undefined, inputs: readonly (string | undefined)[] = []): void {
  if (path === undefined || path === '-') return;
  const cannot = (why: string): UsageError => new UsageError(`cannot write ${path === '' ? "''" : path}: ${why}`);
  if (path === '') throw cannot('an empty output name');
  const existing = statOrUndefined(path);
  if (existing?.isDirectory()) throw cannot('is a directory');
  if (path.endsWith('/')) throw cannot('a file name must not end with /');
  const directory = dirname(path);
  let folder: Stats;
  try {
    folder = statSync(directory);
  } catch (error) {
    throw cannot((error as NodeJS.ErrnoException).code === 'ENOENT' ? `no such directory ${directory}` : describeFsError(error));
  }
  if (!folder.isDirectory()) throw cannot(`${directory} is not a directory`);
  if (existing && !existing.isFile()) return; // a device, a FIFO: written in place
  try {
    accessSync(directory, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw cannot(describeFsError(error));
  }
  const nameBytes = Buffer.byteLength(basename(path));
  if (nameBytes > MAX_OUTPUT_NAME_BYTES) {
    throw cannot(`the name is ${nameBytes} bytes; outputs are written under a temporary name first, which leaves ${MAX_OUTPUT_NAME_BYTES} of the ${NAME_MAX_BYTES} bytes a file name may have`);
  }
  for (const input of inputs) {
    if (input === undefined || input === '-' || input === '') continue;
    if (sameFile(path, existing, input)) throw new UsageError(`cannot write ${path}: it is the input ${input}${input === path ? '' : ' (the same file)'}; choose another output name`);
  }
}

/** Whether output `path` (stat `existing`, undefined when it does not exist yet) is the file `input`. */
function sameFile(path: string, existing: Stats | undefined, input: string): boolean {
  const inputStat = statOrUndefined(input);
  if (!inputStat) return false;
  // The same inode is the same file, whatever names (symbolic or hard links) lead to it.
  if (existing) return existing.dev === inputStat.dev && existing.ino === inputStat.ino;
  // A name not yet there: compare where it would be created with where the input is.
  try {
    return resolve(realpathSync(dirname(path)), basename(path)) === realpathSync(input);
  } catch {
    return false;
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
