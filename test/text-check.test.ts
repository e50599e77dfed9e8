// The first look at an input's bytes (binary or non-UTF-8 text), and the choice of low-memory mode.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { freemem } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { tooLargeForMemory } from '../src/convert/memory-budget.js';
import { InputFormat } from '../src/read/input-format.js';
import { assertTextSample, firstInvalidUtf8 } from '../src/read/text-check.js';
import { root } from './helpers.js';

describe('text check', () => {
  const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

  it('accepts UTF-8, and a character cut by the end of a partial sample', () => {
    assert.equal(firstInvalidUtf8(new TextEncoder().encode('chr1\tα\t𝄞\n'), true), -1);
    assert.equal(firstInvalidUtf8(bytes(0x41, 0xf0, 0x9d), false), -1);
    assert.equal(firstInvalidUtf8(bytes(0x41, 0xf0, 0x9d), true), 1);
  });

  it('finds Latin-1 bytes, overlong forms, surrogates and stray continuation bytes', () => {
    assert.equal(firstInvalidUtf8(bytes(0x63, 0xe9, 0x31), true), 1);
    assert.equal(firstInvalidUtf8(bytes(0x41, 0xc0, 0x80), true), 1);
    assert.equal(firstInvalidUtf8(bytes(0xed, 0xa0, 0x80), true), 0);
    assert.equal(firstInvalidUtf8(bytes(0x41, 0x80), true), 1);
  });

  it('names the line of the first bad byte', () => {
    assert.throws(() => assertTextSample(new TextEncoder().encode('CHROM\nchr1\t\0'), 'm.tsv', true), /^InputError: m.tsv:2: a NUL byte \(at byte 12\)/);
    assert.doesNotThrow(() => assertTextSample(new TextEncoder().encode('CHROM\tPOS\n'), 'm.tsv', true));
  });
});

describe('automatic low-memory mode', () => {
  const gb = 1e9;
  it('is chosen when an in-memory load would take more than half of the free memory', () => {
    assert.equal(tooLargeForMemory({ path: 'm.tsv', format: InputFormat.text, size: 10 * gb }, 24 * gb), undefined);
    assert.deepEqual(tooLargeForMemory({ path: 'm.tsv', format: InputFormat.text, size: 10 * gb }, 8 * gb), { needed: 6 * gb, free: 8 * gb });
    assert.ok(tooLargeForMemory({ path: 'm.tsv.gz', format: InputFormat.gzip, size: 2 * gb }, 16 * gb), 'gzip counts 10x its size');
    assert.deepEqual(tooLargeForMemory({ path: 'm.arrow', format: InputFormat.arrow, size: 5 * gb }, 8 * gb), { needed: 5 * gb, free: 8 * gb }, 'a packed matrix counts its size');
  });

  // A SLURM job or a container sees the whole machine's free memory but may use only its cgroup's
  // limit: the choice must count the limit. A real memory cgroup (root only) holds the process.
  const skip = process.getuid?.() !== 0 ? 'making a memory cgroup needs root' : memoryCgroupRoot() ? false : 'no memory cgroup controller here';
  it('counts the memory limit of the cgroup the process runs in', { skip }, (t) => {
    let cgroup: ReturnType<typeof memoryCgroup>;
    try {
      cgroup = memoryCgroup(memoryCgroupRoot() as NonNullable<ReturnType<typeof memoryCgroupRoot>>, 300 * 2 ** 20);
    } catch (error) {
      t.skip(`cannot make a memory cgroup here: ${(error as Error).message}`);
      return;
    }
    const { dir, cleanup } = cgroup;
    try {
      const module = pathToFileURL(join(root, 'dist', 'src', 'convert', 'memory-budget.js')).href;
      const script = `const m = await import(${JSON.stringify(module)}); console.log(JSON.stringify({ available: m.availableMemory(), tooLarge: m.tooLargeForMemory({ path: 'm.tsv', format: 'text', size: 400e6 }) ?? null }))`;
      // The shell moves itself into the cgroup, then becomes node (so node starts inside it).
      const inside = spawnSync('sh', ['-c', 'echo $$ > "$1/cgroup.procs" && exec "$2" --input-type=module -e "$3"', 'sh', dir, process.execPath, script], { encoding: 'utf8' });
      assert.equal(inside.status, 0, inside.stderr);
      const { available, tooLarge } = JSON.parse(inside.stdout) as { available: number; tooLarge: { needed: number; free: number } | null };
      assert.ok(available > 0 && available < 300 * 2 ** 20, `${available} bytes available under a 300 MiB limit`);
      // The two calls read the process's RSS at different moments: free is the limit less that RSS.
      assert.ok(tooLarge !== null && tooLarge.needed === 240e6, 'a 400 MB text matrix is streamed under the limit');
      assert.ok(tooLarge.free > 0 && tooLarge.free < 300 * 2 ** 20 && Math.abs(tooLarge.free - available) < 16 * 2 ** 20, `${tooLarge.free} free counted against ${available} available`);
      assert.ok(freemem() > 2e9 && tooLargeForMemory({ path: 'm.tsv', format: InputFormat.text, size: 400e6 }) === undefined, 'and loaded in memory outside it');
    } finally {
      cleanup();
    }
  });
});

/** Where memory cgroups are made here: the cgroup v2 root with the memory controller, or the v1 memory hierarchy. */
function memoryCgroupRoot(): { dir: string; limitFile: string; v2: boolean } | undefined {
  const v2 = '/sys/fs/cgroup';
  if (existsSync(join(v2, 'cgroup.controllers')) && readFileSync(join(v2, 'cgroup.controllers'), 'utf8').includes('memory')) return { dir: v2, limitFile: 'memory.max', v2: true };
  const v1 = '/sys/fs/cgroup/memory';
  if (existsSync(join(v1, 'memory.limit_in_bytes'))) return { dir: v1, limitFile: 'memory.limit_in_bytes', v2: false };
  return undefined;
}

/** A fresh memory cgroup limited to `bytes`, removed by `cleanup` once no process is left in it. */
function memoryCgroup(root: NonNullable<ReturnType<typeof memoryCgroupRoot>>, bytes: number): { dir: string; cleanup: () => void } {
  if (root.v2) {
    try {
      writeFileSync(join(root.dir, 'cgroup.subtree_control'), '+memory');
    } catch {
      // on already, or not ours to change: the limit file below tells
    }
  }
  const dir = join(root.dir, `genomatrix-test-${process.pid}`);
  mkdirSync(dir);
  try {
    writeFileSync(join(dir, root.limitFile), String(bytes));
  } catch (error) {
    rmdirSync(dir);
    throw error;
  }
  return { dir, cleanup: () => rmdirSync(dir) };
}
