// Builds the C baseline (bench/baselines/haplotype.c) with the system C compiler, once per bench
// run, into a build directory; says why when it cannot.

import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** The built program, or why there is none. */
export type NativeBuild = { program: string } | { reason: string };

const built = new Map<string, NativeBuild>();

/** Compiles `bench/baselines/haplotype.c` under `root` with `cc -O3 -pthread` into `buildDir` (cached per directory). */
export function buildNativeBaseline(root: string, buildDir: string): NativeBuild {
  const known = built.get(buildDir);
  if (known) return known;
  const compiler = process.env.CC ?? 'cc';
  mkdirSync(buildDir, { recursive: true });
  const program = join(buildDir, 'haplotype');
  const run = spawnSync(compiler, ['-O3', '-pthread', '-o', program, join(root, 'bench', 'baselines', 'haplotype.c')], { encoding: 'utf8' });
  const result: NativeBuild =
    run.error !== undefined
      ? { reason: `no C compiler (${compiler}: ${(run.error as NodeJS.ErrnoException).code ?? run.error.message})` }
      : run.status !== 0
        ? { reason: `${compiler} failed: ${run.stderr.trim().split('\n')[0] ?? ''}` }
        : { program };
  built.set(buildDir, result);
  return result;
}
