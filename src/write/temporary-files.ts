// Temporary output files: those still open, so that an interrupted or failing process removes
// them, and those a killed process (SIGKILL, a power cut) left behind, which the next run writing
// the same output removes.

import { readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { temporaryPattern } from './output-guard.js';

const temporaries = new Set<string>();

/** Registers a temporary file this process is writing. */
export function rememberTemporary(path: string): void {
  temporaries.add(path);
}

/** Unregisters a temporary file (renamed into place or removed). */
export function forgetTemporary(path: string): void {
  temporaries.delete(path);
}

/** Removes every temporary file still registered (synchronously: safe in exit and signal handlers). */
export function removeTemporaries(): void {
  for (const path of temporaries) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  temporaries.clear();
}

/**
 * Removes the temporaries of output `name` in `directory` whose process is no longer alive on this
 * machine (`.NAME.genomatrix-PID.tmp`); those of a live process, this one included, stay.
 */
export function removeStaleTemporaries(directory: string, name: string): string[] {
  const pattern = temporaryPattern(name);
  let entries: string[];
  try {
    entries = readdirSync(directory);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const pid = Number(pattern.exec(entry)?.[1]);
    if (!Number.isSafeInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    try {
      unlinkSync(join(directory, entry));
      removed.push(entry);
    } catch {
      // removed meanwhile, or not ours to remove
    }
  }
  return removed;
}

/** Whether process `pid` exists (signal 0 checks without sending anything). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, someone else's
  }
}

process.on('exit', removeTemporaries);
