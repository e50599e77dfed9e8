/**
 * generate-matrix: deterministic, seeded generator of synthetic genome matrices.
 *
 * Usage:
 *   node dist/scripts/generate-matrix.js --out FILE [options]
 *
 * Options:
 *   --out FILE            output path (required); `-` writes to stdout
 *   --contigs N           number of contigs, named chr1..chrN (default 4)
 *   --name-digits N       contig numbers zero-padded to N digits (chr000001...): names of one
 *                         length, so matrices of different contig counts are the same bytes
 *   --sites N             sites (rows) per contig (default 1000000)
 *   --haplotypes N        haplotype columns (default 31): pairs 1a 1b 2a 2b ...
 *                         for floor(N/2) pairs, plus an outgroup column `out` if N is odd
 *   --seed N              PRNG seed, unsigned 32-bit integer (default 1)
 *   --snp-rate F          fraction of sites that are polymorphic (default 0.33)
 *   --missing-rate F      per-cell probability of `N` (default 0.02)
 *   --deletion-rate F     per-cell probability of `-` at polymorphic sites (default 0.005)
 *   --gzip                gzip the output (node:zlib)
 *   --no-header           omit the `CHROM POS REF <haplotypes...>` header line
 *   --header-out FILE     also write the header line (with `\n`) to FILE
 *   --split-contigs       emit every contig in two runs: the first half of every contig,
 *                         then the second half of every contig (exercises grouping)
 *
 * Output: tab-separated, `\n` line ends, one row per site:
 *   CHROM  POS  REF  <one cell per haplotype>
 * POS starts at a seeded offset per contig and increases by 1..3 per site. REF is uniform
 * over ACGT. A polymorphic site gets one alternative allele (two at ~5% of polymorphic
 * sites) carried by a random, non-empty subset of haplotypes (carrier frequency skewed
 * towards rare variants); every other cell equals REF. Then, per cell, `N` is applied with
 * probability --missing-rate (all sites) and `-` with probability --deletion-rate
 * (polymorphic sites only, so that monomorphic sites stay monomorphic and the fraction
 * of sites with a non-empty alt stays close to --snp-rate).
 *
 * Every contig draws from its own PRNG stream (derived from --seed and the contig index),
 * so --split-contigs produces exactly the same rows as the default layout, only reordered.
 * The same seed and options always produce byte-identical output.
 *
 * The file is written to a temporary file in the target directory and renamed into place
 * when complete. A one-line summary (rows, bytes, time) is printed to stderr.
 *
 * Example (the default "seed-shaped" matrix, 4 x 1,000,000 sites x 31 haplotypes, ~300 MB):
 *   node dist/scripts/generate-matrix.js --out /tmp/seed.tsv
 */
import { closeSync, createWriteStream, openSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';

const BLOCK_SIZE = 4 * 1024 * 1024;

const CH_TAB = 9;
const CH_NL = 10;
const CH_DASH = 45;
const CH_N = 78;
const BASES = [65, 67, 71, 84] as const; // A C G T

interface Options {
  out: string;
  contigs: number;
  sites: number;
  haplotypes: number;
  seed: number;
  snpRate: number;
  missingRate: number;
  deletionRate: number;
  gzip: boolean;
  header: boolean;
  headerOut: string | undefined;
  splitContigs: boolean;
  nameDigits: number;
}

function usage(message?: string): never {
  if (message) process.stderr.write(`generate-matrix: ${message}\n`);
  process.stderr.write(
    'usage: node dist/scripts/generate-matrix.js --out FILE [--contigs N] [--sites N] [--haplotypes N]\n' +
      '       [--seed N] [--snp-rate F] [--missing-rate F] [--deletion-rate F] [--gzip] [--no-header]\n' +
      '       [--header-out FILE] [--split-contigs] [--name-digits N]\n',
  );
  process.exit(2);
}

function parseIntOpt(name: string, value: string | undefined, def: number, min: number, max: number): number {
  if (value === undefined) return def;
  if (!/^\d+$/.test(value)) usage(`--${name} must be a non-negative integer, got '${value}'`);
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) usage(`--${name} must be in [${min}, ${max}], got '${value}'`);
  return n;
}

function parseRateOpt(name: string, value: string | undefined, def: number): number {
  if (value === undefined) return def;
  const f = Number(value);
  if (value.trim() === '' || !Number.isFinite(f) || f < 0 || f > 1) usage(`--${name} must be a number in [0, 1], got '${value}'`);
  return f;
}

function parseOptions(argv: string[]): Options {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        out: { type: 'string' },
        contigs: { type: 'string' },
        sites: { type: 'string' },
        haplotypes: { type: 'string' },
        seed: { type: 'string' },
        'snp-rate': { type: 'string' },
        'missing-rate': { type: 'string' },
        'deletion-rate': { type: 'string' },
        gzip: { type: 'boolean' },
        'no-header': { type: 'boolean' },
        'header-out': { type: 'string' },
        'split-contigs': { type: 'boolean' },
        'name-digits': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    usage((err as Error).message);
  }
  const v = parsed.values;
  if (v.help) usage();
  if (v.out === undefined || v.out === '') usage('--out is required');
  const opts: Options = {
    out: v.out,
    contigs: parseIntOpt('contigs', v.contigs, 4, 1, 1_000_000),
    sites: parseIntOpt('sites', v.sites, 1_000_000, 0, 2_000_000_000),
    haplotypes: parseIntOpt('haplotypes', v.haplotypes, 31, 1, 100_000),
    seed: parseIntOpt('seed', v.seed, 1, 0, 0xffffffff),
    snpRate: parseRateOpt('snp-rate', v['snp-rate'], 0.33),
    missingRate: parseRateOpt('missing-rate', v['missing-rate'], 0.02),
    deletionRate: parseRateOpt('deletion-rate', v['deletion-rate'], 0.005),
    gzip: v.gzip === true,
    header: v['no-header'] !== true,
    headerOut: v['header-out'],
    splitContigs: v['split-contigs'] === true,
    nameDigits: parseIntOpt('name-digits', v['name-digits'], 0, 0, 9),
  };
  if (opts.missingRate + opts.deletionRate > 1) usage('--missing-rate + --deletion-rate must not exceed 1');
  return opts;
}

/** Haplotype names: 1a 1b 2a 2b ... plus `out` when the count is odd. */
function haplotypeNames(h: number): string[] {
  const names: string[] = [];
  for (let i = 1; i <= Math.floor(h / 2); i++) names.push(`${i}a`, `${i}b`);
  if (h % 2 === 1) names.push('out');
  return names;
}

/** splitmix32-style mixer, used to derive independent per-contig seeds. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Converts a probability to a threshold on a uniform uint32 draw (draw < threshold). */
function threshold(p: number): number {
  return Math.min(Math.floor(p * 4294967296), 4294967296);
}

/** Per-contig generator: its own xorshift32 stream, position and progress. */
class ContigGen {
  private s: number;
  pos: number;
  done = 0;
  readonly nameBytes: Buffer;

  constructor(
    readonly name: string,
    seed: number,
    index: number,
  ) {
    let s = mix32(mix32(seed) ^ Math.imul(index + 1, 0x27d4eb2f));
    if (s === 0) s = 0x6d2b79f5;
    this.s = s;
    this.nameBytes = Buffer.from(name, 'latin1');
    // Warm up the stream a little before the first use.
    for (let i = 0; i < 8; i++) this.next();
    this.pos = 1 + (this.next() % 100_000) * 10;
  }

  /** xorshift32: uniform uint32 in [1, 2^32). */
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x;
    return x >>> 0;
  }

  /** Uniform integer in [0, n). */
  below(n: number): number {
    return Math.floor((this.next() / 4294967296) * n);
  }
}

interface Sink {
  write(chunk: Buffer): Promise<void> | void;
  finish(): Promise<void> | void;
  abort(): void;
  /** True if the sink keeps references to written chunks (block must not be reused). */
  readonly retains: boolean;
}

function streamWrite(stream: Writable, chunk: Buffer): Promise<void> | void {
  if (stream.write(chunk)) return;
  return new Promise<void>((resolve, reject) => {
    const onDrain = () => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (err: Error) => {
      stream.off('drain', onDrain);
      reject(err);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}

function streamEnd(stream: Writable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

function makeSink(opts: Options, tmpPath: string | undefined, counter: { out: number }): Sink {
  if (!opts.gzip && tmpPath !== undefined) {
    // Plain file: synchronous writes of large blocks are the fastest path.
    const fd = openSync(tmpPath, 'w');
    let closed = false;
    return {
      retains: false,
      write(chunk) {
        let off = 0;
        while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off);
        counter.out += chunk.length;
      },
      finish() {
        closed = true;
        closeSync(fd);
      },
      abort() {
        if (!closed) closeSync(fd);
        closed = true;
      },
    };
  }
  const dest: Writable = tmpPath === undefined ? process.stdout : createWriteStream(tmpPath);
  if (!opts.gzip) {
    return {
      retains: true,
      write(chunk) {
        counter.out += chunk.length;
        return streamWrite(dest, chunk);
      },
      async finish() {
        if (dest !== process.stdout) await streamEnd(dest);
      },
      abort() {
        if (dest !== process.stdout) dest.destroy();
      },
    };
  }
  const gz = createGzip({ level: 6 });
  gz.on('data', (d: Buffer) => {
    counter.out += d.length;
  });
  const piped = gz.pipe(dest);
  const finished = new Promise<void>((resolve, reject) => {
    gz.once('error', reject);
    dest.once('error', reject);
    if (dest === process.stdout) gz.once('end', () => resolve());
    else piped.once('finish', () => resolve());
  });
  return {
    retains: true,
    write(chunk) {
      return streamWrite(gz, chunk);
    },
    async finish() {
      gz.end();
      await finished;
    },
    abort() {
      gz.destroy();
      if (dest !== process.stdout) dest.destroy();
    },
  };
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const t0 = process.hrtime.bigint();
  const names = haplotypeNames(opts.haplotypes);
  const H = names.length;
  const headerLine = ['CHROM', 'POS', 'REF', ...names].join('\t') + '\n';

  if (opts.headerOut !== undefined) writeFileSync(opts.headerOut, headerLine);

  const toStdout = opts.out === '-';
  if (toStdout) {
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      process.stderr.write(`generate-matrix: ${err.message}\n`);
      process.exit(1);
    });
  }
  const tmpPath = toStdout
    ? undefined
    : join(dirname(opts.out), `.${basename(opts.out)}.tmp-${process.pid}`);
  const counter = { out: 0 };
  const sink = makeSink(opts, tmpPath, counter);

  const gens: ContigGen[] = [];
  for (let c = 0; c < opts.contigs; c++) gens.push(new ContigGen(`chr${String(c + 1).padStart(opts.nameDigits, '0')}`, opts.seed, c));

  const snpTh = threshold(opts.snpRate);
  const missTh = threshold(opts.missingRate);
  const delTh = threshold(opts.missingRate + opts.deletionRate);
  const twoAltTh = threshold(0.05);

  const maxNameLen = gens.reduce((m, g) => Math.max(m, g.nameBytes.length), 0);
  // contig + tab + pos (<= 16 digits) + tab + ref + H * 2 + newline, with slack
  const maxRow = maxNameLen + 2 * H + 32;
  const blockSize = Math.max(BLOCK_SIZE, maxRow * 4);
  let block = Buffer.allocUnsafe(blockSize);
  let n = 0;
  let rawBytes = 0;
  let rows = 0;
  const cells = new Uint8Array(H);

  const flush = async (): Promise<void> => {
    if (n === 0) return;
    const chunk = block.subarray(0, n);
    rawBytes += n;
    n = 0;
    if (sink.retains) {
      const p = sink.write(chunk);
      block = Buffer.allocUnsafe(blockSize);
      if (p) await p;
    } else {
      const p = sink.write(chunk);
      if (p) await p;
    }
  };

  const emitRows = async (g: ContigGen, count: number): Promise<void> => {
    const name = g.nameBytes;
    for (let r = 0; r < count; r++) {
      if (n + maxRow > blockSize) await flush();
      const buf = block;
      // CHROM
      for (let i = 0; i < name.length; i++) buf[n++] = name[i]!;
      buf[n++] = CH_TAB;
      // POS
      g.pos += 1 + g.below(3);
      let p = g.pos;
      let digits = 1;
      for (let q = p; q >= 10; q = Math.floor(q / 10)) digits++;
      let w = n + digits - 1;
      do {
        buf[w--] = 48 + (p % 10);
        p = Math.floor(p / 10);
      } while (p > 0);
      n += digits;
      buf[n++] = CH_TAB;
      // REF
      const refIdx = g.next() & 3;
      const ref = BASES[refIdx]!;
      buf[n++] = ref;
      // cells
      const poly = g.next() < snpTh;
      if (poly) {
        const alt1 = BASES[(refIdx + 1 + g.below(3)) & 3]!;
        let alt2 = alt1;
        if (g.next() < twoAltTh) {
          // a second, different alternative allele
          let a = alt1;
          while (a === alt1 || a === ref) a = BASES[g.next() & 3]!;
          alt2 = a;
        }
        // carrier frequency skewed towards rare variants
        const u = g.next() / 4294967296;
        const freqTh = threshold(Math.max(u * u, 1 / H));
        let carriers = 0;
        for (let i = 0; i < H; i++) {
          if (g.next() < freqTh) {
            cells[i] = (g.next() & 1) === 0 ? alt1 : alt2;
            carriers++;
          } else {
            cells[i] = ref;
          }
        }
        if (carriers === 0) cells[g.below(H)] = alt1;
        for (let i = 0; i < H; i++) {
          const d = g.next();
          buf[n++] = CH_TAB;
          buf[n++] = d < missTh ? CH_N : d < delTh ? CH_DASH : cells[i]!;
        }
      } else {
        for (let i = 0; i < H; i++) {
          buf[n++] = CH_TAB;
          buf[n++] = g.next() < missTh ? CH_N : ref;
        }
      }
      buf[n++] = CH_NL;
    }
    g.done += count;
    rows += count;
  };

  try {
    if (opts.header) {
      n += block.write(headerLine, n, 'latin1');
      if (n + maxRow > blockSize) await flush();
    }
    if (opts.splitContigs) {
      const first = Math.floor(opts.sites / 2);
      for (const g of gens) await emitRows(g, first);
      for (const g of gens) await emitRows(g, opts.sites - first);
    } else {
      for (const g of gens) await emitRows(g, opts.sites);
    }
    await flush();
    await sink.finish();
    if (tmpPath !== undefined) renameSync(tmpPath, opts.out);
  } catch (err) {
    sink.abort();
    if (tmpPath !== undefined) {
      try {
        unlinkSync(tmpPath);
      } catch {
        // ignore
      }
    }
    throw err;
  }

  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const where = toStdout ? 'stdout' : opts.out;
  const sizes = opts.gzip ? `${counter.out} bytes gzip (${rawBytes} uncompressed)` : `${rawBytes} bytes`;
  process.stderr.write(
    `generate-matrix: ${rows} rows (${opts.contigs} contigs x ${opts.sites} sites x ${H} haplotypes, seed ${opts.seed}), ` +
      `${sizes} -> ${where} in ${secs.toFixed(2)} s\n`,
  );
}

main().catch((err: unknown) => {
  // A closed downstream pipe (e.g. `| head`) is not an error.
  if ((err as NodeJS.ErrnoException | undefined)?.code === 'EPIPE') process.exit(0);
  process.stderr.write(`generate-matrix: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
