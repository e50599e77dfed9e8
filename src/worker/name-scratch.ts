// A kernel's contig name as UTF-8 bytes, written into a buffer the kernel keeps from task to
// task: a task per small contig would otherwise make an array per name (100,000 of them for
// 100,000 contigs); and a run of tasks' names and rows as the binding's line writers take them.

const UTF8 = new TextEncoder();

/** One name's UTF-8 bytes at a time, at the start of `bytes`, valid until the next `write`. */
export class NameScratch {
  bytes = new Uint8Array(256);

  /** Writes `name`'s bytes at the start of `bytes` (a larger buffer when they may not fit); returns their length. */
  write(name: string): number {
    if (this.bytes.length < 3 * name.length) this.bytes = new Uint8Array(3 * name.length);
    return UTF8.encodeInto(name, this.bytes).written;
  }
}

/**
 * Tasks `[from, to)` as the binding's line writers take them (native/binding.c `haplotypeLines`,
 * `statsLines`): four numbers a task (its first row in the views: its `shared` row, else 0; its
 * rows; its contig name's offset and length in `names`), and every name's UTF-8 bytes one after
 * the other.
 */
export function nativeTasks(tasks: readonly { contig: string; from: number; to: number }[], shared: readonly ({ row: number } | undefined)[], from: number, to: number): { numbers: Float64Array; names: Uint8Array } {
  const list = new Array<string>(to - from);
  for (let k = from; k < to; k++) list[k - from] = (tasks[k] as { contig: string }).contig;
  const joined = list.join('');
  const names = Buffer.from(joined, 'utf8');
  const numbers = new Float64Array(4 * (to - from));
  const ascii = names.length === joined.length;
  let offset = 0;
  for (let k = from; k < to; k++) {
    const task = tasks[k] as { contig: string; from: number; to: number };
    const name = list[k - from] as string;
    const nameBytes = ascii ? name.length : Buffer.byteLength(name, 'utf8');
    const i = 4 * (k - from);
    numbers[i] = shared[k]?.row ?? 0;
    numbers[i + 1] = task.to - task.from;
    numbers[i + 2] = offset;
    numbers[i + 3] = nameBytes;
    offset += nameBytes;
  }
  return { numbers, names };
}
