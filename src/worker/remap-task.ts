// The kernel that renumbers allele codes after a text load (the dictionary's canonical order).

import type { RemapTask } from './messages.js';

/** Rewrites allele codes in place through the map; returns the rows done. */
export function runRemapTask(task: RemapTask): number {
  const map = task.map;
  for (const buffer of task.columns) {
    const codes = new Uint8Array(buffer, task.byteOffset ?? 0, task.rows);
    for (let r = 0; r < codes.length; r++) codes[r] = map[codes[r] as number] as number;
  }
  return task.rows;
}
