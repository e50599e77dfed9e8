// Temporary output files still open, so that an interrupted or failing process removes them.

import { unlinkSync } from 'node:fs';

const temporaries = new Set<string>();

export function rememberTemporary(path: string): void {
  temporaries.add(path);
}

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

process.on('exit', removeTemporaries);
