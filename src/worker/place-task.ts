// The kernel that puts a text load's parsed rows in place (read/group-contigs.ts `placeRows`): a
// share of the columns, each moved and its allele codes renumbered (the dictionary's canonical
// order) in one pass, the columns of a load shared among the workers.

import type { PlaceTask } from './messages.js';

/** Moves each column's rows, then rewrites its allele codes through the map; returns the columns done. */
export function runPlaceTask(task: PlaceTask): number {
  const { buffers, columns, moves, map } = task;
  for (let at = 0; at < columns.length; at += 5) {
    const width = columns[at + 4] as number;
    const from = new Uint8Array(buffers[columns[at] as number] as SharedArrayBuffer, columns[at + 1] as number, task.sourceRows * width);
    const to = new Uint8Array(buffers[columns[at + 2] as number] as SharedArrayBuffer, columns[at + 3] as number, task.targetRows * width);
    const inPlace = from.buffer === to.buffer && from.byteOffset === to.byteOffset;
    for (let m = 0; m < moves.length; m += 3) {
      const src = (moves[m] as number) * width;
      const dest = (moves[m + 1] as number) * width;
      const bytes = (moves[m + 2] as number) * width;
      if (!inPlace) to.set(from.subarray(src, src + bytes), dest);
      else if (src !== dest) to.copyWithin(dest, src, src + bytes);
    }
    if (map && width === 1) for (let r = 0; r < task.extent; r++) to[r] = map[to[r] as number] as number;
  }
  return columns.length / 5;
}
