// Shared by the test files: where things are, and how to run the built CLI as a user would.

import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist/test/). */
export const root = fileURLToPath(new URL('../../', import.meta.url));
export const fixtures = join(root, 'test', 'fixtures');
export const cliPath = join(root, 'dist', 'src', 'cli', 'main.js');
export const generatorPath = join(root, 'dist', 'scripts', 'generate-matrix.js');

export function fixture(name: string): string {
  return join(fixtures, name);
}

/** Runs the built `genomatrix` binary. */
export function runCli(
  args: string[],
  options: { input?: string; timeout?: number; uid?: number; gid?: number; env?: NodeJS.ProcessEnv } = {},
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cliPath, ...args], {
    encoding: 'utf8',
    ...(options.env === undefined ? {} : { env: { ...process.env, ...options.env } }),
    input: options.input,
    timeout: options.timeout ?? 60_000,
    maxBuffer: 1 << 28,
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
}

/** Runs the seeded matrix generator. */
export function generate(out: string, args: string[]): void {
  const result = spawnSync(process.execPath, [generatorPath, '--out', out, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`generator failed: ${result.stderr}`);
}

/** A fresh temporary directory, removed by the returned cleanup; `file` writes a file in it and returns its path. */
export function scratchDir(): { dir: string; file: (name: string, content: string | Uint8Array) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'genomatrix-test-'));
  const file = (name: string, content: string | Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  return { dir, file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A VCF without its `##genomatrixCommand` line (which names the paths and options of its run). */
export function withoutCommandLine(vcf: string): string {
  return vcf.replace(/^##genomatrixCommand=.*\n/m, '');
}

/** Exactly one line on stderr, `genomatrix: ...`, and no stack frame. */
export function assertOneLine(stderr: string): void {
  assert.match(stderr, /^genomatrix: [^\n]*\n$/, `one line: ${stderr}`);
  assert.doesNotMatch(stderr, /\n\s+at /);
}

/** mulberry32: a small seeded PRNG, uniform in [0, 1); every seeded test draws from it. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
