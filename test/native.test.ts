// The native binding's memory advice (src/native.ts, native/binding.c): `sharedBuffer` gives new,
// zeroed shared memory of the size asked, with transparent huge pages asked for when it is large;
// the binding's `adviseHugePages` takes the advice only over whole 2 MiB pages inside the bytes, and
// tells where the first starts; `hugePageBytes` gives output slots that start on a huge page.
// And its `exitNow`, with which a completed command-line run ends: with its status, and with
// every byte of its output written, also through a pipe its reader is slow to empty.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { binding, hugePageBytes, sharedBuffer } from '../src/native.js';
import { cliPath, generate, root, runCli, scratchDir } from './helpers.js';

/** Whether this kernel takes MADV_HUGEPAGE (its setting is `always` or `madvise`). */
function kernelTakesAdvice(): boolean {
  try {
    return !readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').includes('[never]');
  } catch {
    return false;
  }
}

describe('shared memory with huge pages', () => {
  for (const bytes of [0, 1, 4095, 3 << 20, (4 << 20) + 7, 16 << 20]) {
    it(`sharedBuffer(${bytes}) is a new, zeroed, writable SharedArrayBuffer of that size`, () => {
      const buffer = sharedBuffer(bytes);
      assert.ok(buffer instanceof SharedArrayBuffer);
      assert.equal(buffer.byteLength, bytes);
      const view = new Uint8Array(buffer);
      assert.equal(view.indexOf(1), -1);
      view.fill(7);
      assert.equal(view.filter((b) => b !== 7).length, 0);
    });
  }

  const built = binding ? false : 'the native binding is not built (npm run build:native)';

  it('advises whole 2 MiB pages inside the bytes, and only those, and tells where the first starts', { skip: built }, () => {
    const advise = (binding as NonNullable<typeof binding>).adviseHugePages;
    // 1 MiB can never hold a whole aligned 2 MiB page.
    assert.equal(advise(new Uint8Array(new SharedArrayBuffer(1 << 20))), -1);
    assert.equal(advise(new Uint8Array(0)), -1);
    if (process.platform === 'linux' && kernelTakesAdvice()) {
      for (const buffer of [new SharedArrayBuffer(8 << 20), new ArrayBuffer(8 << 20)]) {
        const at = advise(new Uint8Array(buffer));
        assert.ok(at >= 0 && at < 2 << 20, `the first huge page starts within 2 MiB (${at})`);
        // From there on, the bytes start on a huge page; a byte later, the next one is 2 MiB on.
        assert.equal(advise(new Uint8Array(buffer, at)), 0);
        assert.equal(advise(new Uint8Array(buffer, at + 1)), (2 << 20) - 1);
      }
    }
  });

  for (const bytes of [0, 100, (1 << 20) - 1, 1 << 20, (3 << 20) + 5, 16 << 20]) {
    it(`hugePageBytes(${bytes}): new, zeroed, writable shared bytes, on huge pages from the first when 1 MiB or more`, () => {
      const view = hugePageBytes(bytes);
      assert.ok(view.buffer instanceof SharedArrayBuffer);
      assert.ok(view.length >= bytes);
      assert.equal(view.indexOf(1), -1);
      view.fill(7);
      assert.equal(view.filter((b) => b !== 7).length, 0);
      if (!binding || bytes < 1 << 20 || process.env.GENOMATRIX_HUGE_PAGES === '0') assert.equal(view.length, bytes);
      else if (process.platform === 'linux' && kernelTakesAdvice()) {
        assert.equal(view.length % (2 << 20), 0, 'whole huge pages');
        assert.equal(binding.adviseHugePages(view), 0, 'starting on one');
      }
    });
  }

  it('refuses what is not a Uint8Array', { skip: built }, () => {
    const advise = (binding as NonNullable<typeof binding>).adviseHugePages as (bytes: unknown) => number;
    assert.throws(() => advise(new Uint16Array(8)), /expected a Uint8Array/);
    assert.throws(() => advise(new SharedArrayBuffer(8)), /expected a Uint8Array/);
    assert.throws(() => advise(undefined), /expected a Uint8Array/);
  });
});

describe('ending a completed run at once (exitNow)', () => {
  const built = binding?.exitNow ? false : 'the native binding is not built (npm run build:native)';

  it('ends the process with the status given, after what it wrote synchronously', { skip: built }, () => {
    const script = `const b = require(${JSON.stringify(join(root, 'native/build/Release/genomatrix.node'))}); process.stdout.write('written'); b.exitNow(3); console.log('never');`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 3);
    assert.equal(run.stdout, 'written');
  });

  it('not when Node writes something at the end: a run under --cpu-prof writes its profiles, main thread and workers', { skip: built }, () => {
    const scratch = scratchDir();
    try {
      const matrix = join(scratch.dir, 'm.tsv');
      generate(matrix, ['--contigs', '2', '--sites', '2000', '--haplotypes', '5', '--seed', '8']);
      const profiles = join(scratch.dir, 'profiles');
      const run = spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${profiles}`, cliPath, 'haplotype', matrix, '-o', join(scratch.dir, 'out.tsv'), '--threads', '2', '-q'], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      const written = readdirSync(profiles).filter((name) => name.endsWith('.cpuprofile'));
      assert.ok(written.length >= 2, `profiles: ${written.join(', ')}`);
    } finally {
      scratch.cleanup();
    }
  });

  it('a run to standard output delivers every byte through a pipe read late, and exits 0', { skip: built }, async () => {
    const scratch = scratchDir();
    try {
      // Some 4 MB of haplotype table: far more than a pipe holds (64 KiB), so the run waits for its reader.
      const matrix = join(scratch.dir, 'm.tsv');
      generate(matrix, ['--contigs', '3', '--sites', '20000', '--haplotypes', '31', '--seed', '7']);
      const file = join(scratch.dir, 'out.tsv');
      assert.equal(runCli(['haplotype', matrix, '-o', file, '-q']).status, 0);
      const child = spawn(process.execPath, [cliPath, 'haplotype', matrix, '-q'], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.pause();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.stdout.resume();
      const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(status, 0);
      const expected = readFileSync(file);
      assert.ok(expected.length > 1 << 20, `${expected.length} bytes`);
      assert.ok(Buffer.concat(chunks).equals(expected), 'the piped output is the file output, byte for byte');
    } finally {
      scratch.cleanup();
    }
  });
});
