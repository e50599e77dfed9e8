// The kernel that puts a text load's parsed rows in place (read/group-contigs.ts `placeRows`): a
// share of the columns, each moved and its allele codes renumbered (the dictionary's canonical
// order) in one pass, the columns of a load shared among the workers.

import type { PlaceTask } from './messages.js';

/** Moves each column's rows, then rewrites its allele codes through the map; returns the columns done. */
export function runPlaceTask(task: PlaceTask): number {
  const { buffers, columns, moves, map, segmentRows } = task;
  const stride = 3 + 2 * segmentRows.length;
  for (let at = 0; at < columns.length; at += stride) {
    const width = columns[at + 2] as number;
    const to = new Uint8Array(buffers[columns[at] as number] as SharedArrayBuffer, columns[at + 1] as number, task.targetRows * width);
    const from: Uint8Array[] = [];
    for (let s = 0; s < segmentRows.length; s++) {
      from.push(new Uint8Array(buffers[columns[at + 3 + 2 * s] as number] as SharedArrayBuffer, columns[at + 4 + 2 * s] as number, (segmentRows[s] as number) * width));
    }
    for (let m = 0; m < moves.length; m += 4) {
      const source = from[moves[m] as number] as Uint8Array;
      const src = (moves[m + 1] as number) * width;
      const dest = (moves[m + 2] as number) * width;
      const bytes = (moves[m + 3] as number) * width;
      if (source.buffer !== to.buffer || source.byteOffset !== to.byteOffset) to.set(source.subarray(src, src + bytes), dest);
      else if (src !== dest) to.copyWithin(dest, src, src + bytes);
    }
    if (map && width === 1) for (let r = 0; r < task.extent; r++) to[r] = map[to[r] as number] as number;
  }
  return columns.length / stride;
}
