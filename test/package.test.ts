// The package as a new user gets it: `npm pack`, installed from the tarball into a scratch project,
// the README's library example copied into a file and run, the `genomatrix` binary, the types.

import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { root, scratchDir } from './helpers.js';

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, npm_config_update_notifier: 'false' } });
  assert.equal(result.status, 0, `${command} ${args.join(' ')}: ${result.stderr}`);
  return result;
}

/** The README's library example (the `js` block after "`analysis.mjs`:") and the output it documents. */
function readmeExample(): { code: string; output: string; command: string[] } {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Library'));
  const code = /`analysis\.mjs`:\n\n```js\n([\s\S]*?)```/.exec(section)?.[1];
  const prints = /`(node analysis\.mjs [^`]+)` prints:\n\n```text\n([\s\S]*?)```/.exec(section);
  assert.ok(code && prints?.[1] && prints[2], 'README has the example, its command and its output');
  return { code, command: prints[1].split(' ').slice(1), output: prints[2] };
}

describe('the packed package, installed as a user would', () => {
  const scratch = scratchDir();
  const project = join(scratch.dir, 'project');
  let installed = '';
  before(() => {
    const packed = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch.dir], root);
    const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch-analysis', private: true }));
    const install = run('npm', ['install', join(scratch.dir, filename), '--prefer-offline', '--no-audit', '--no-fund', '--foreground-scripts'], project);
    installed = install.stdout + install.stderr;
  });
  after(scratch.cleanup);

  it("runs the README's library example and prints what the README says", () => {
    const example = readmeExample();
    writeFileSync(join(project, 'analysis.mjs'), example.code);
    const result = run(process.execPath, example.command, project);
    assert.equal(result.stdout, example.output);
    const written = readFileSync(join(project, 'haplotypes.tsv'), 'utf8').split('\n');
    const lines = Number(/^(\d+) sites written/m.exec(result.stdout)?.[1]);
    assert.equal(written.length - 2, lines, 'header, the lines reported, and a final line end');
  });

  it('installs the genomatrix binary', () => {
    assert.equal(run('npx', ['--no-install', 'genomatrix', '--version'], project).stdout.trim(), version);
    const bin = join(project, 'node_modules', '.bin', 'genomatrix');
    assert.equal(run(bin, ['haplotype', 'node_modules/genomatrix/examples/data/demo.tsv.gz', '-o', 'cli.tsv'], project).stderr, '');
    assert.equal(readFileSync(join(project, 'cli.tsv'), 'utf8'), readFileSync(join(project, 'haplotypes.tsv'), 'utf8'));
  });

  it('builds the native binding on install, or says in one line that gzip input falls back to node:zlib', () => {
    const binding = join(project, 'node_modules', 'genomatrix', 'native', 'build', 'Release', 'genomatrix.node');
    const fallback = installed.match(/^genomatrix: native binding not built .*$/gm) ?? [];
    if (process.env.CI || (existsSync('/usr/include/isa-l.h') && existsSync('/usr/include/libdeflate.h'))) {
      assert.ok(existsSync(binding), `built: ${installed}`);
      assert.deepEqual(fallback, []);
    } else {
      assert.equal(fallback.length, existsSync(binding) ? 0 : 1, installed);
    }
  });

  // The shipped Snakemake workflow, run from an installed package with its installed binary: the
  // README's scale-out command does that in test/pasteable.test.ts, against single runs.

  it('ships type declarations that type a task and its results', () => {
    assert.ok(existsSync(join(project, 'node_modules', 'genomatrix', 'dist', 'src', 'index.d.ts')));
    writeFileSync(
      join(project, 'check.mts'),
      [
        "import { defineTask, loadMatrix, type Site } from 'genomatrix';",
        'const task = defineTask((view, args: { min: number }) => view.sites >= args.min);',
        "const matrix = await loadMatrix('matrix.tsv', { pairs: '1a:1b', onProgress: (done: number, total: number) => done / total });",
        "const results: boolean[] = await matrix.mapContigs<typeof task>('./task.js', { min: 1 }, { chunkRows: 10, threads: 1 });",
        "const site: Site | undefined = matrix.site('chr1', 1);",
        "const codes: Uint8Array = matrix.column('out').contig(0);",
        "const positions: readonly Int32Array[] = matrix.column('POS').chunks;",
        '// @ts-expect-error: the arguments are typed by the task',
        "await matrix.mapContigs<typeof task>('./task.js', { min: 'one' });",
        'console.log(results, site, codes, positions);',
      ].join('\n'),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const typeRoots = join(root, 'node_modules', '@types');
    const check = spawnSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2022', '--skipLibCheck', '--typeRoots', typeRoots, '--types', 'node', 'check.mts'], { cwd: project, encoding: 'utf8' });
    assert.equal(check.stdout + check.stderr, '');
    assert.equal(check.status, 0);
  });
});
