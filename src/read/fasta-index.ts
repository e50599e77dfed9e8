// The faidx index of a reference FASTA (`samtools faidx`'s .fai: name, length, offset, bases per
// line, bytes per line, tab-separated). Read from `<fasta>.fai`, or built in memory by one pass
// over a FASTA that has none (nothing is written next to the input).

import { createReadStream, existsSync, openSync, readFileSync, readSync, closeSync, statSync } from 'node:fs';
import { GenomatrixError, UsageError } from '../errors.js';
import type { FastaContig } from '../worker/fasta-bases.js';
import { describeFsError } from './header.js';

/** Reads a .fai file; `fasta` is the file its offsets point into. */
export function readFai(faiPath: string, fasta: string): Map<string, FastaContig> {
  const contigs = new Map<string, FastaContig>();
  let text: string;
  try {
    text = readFileSync(faiPath, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the FASTA index ${faiPath}: ${describeFsError(error)}`);
  }
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const [name, ...fields] = line.replace(/\r$/, '').split('\t');
    const [length, offset, lineBases, lineBytes] = fields.map(Number);
    if (!name || fields.length < 4 || ![length, offset, lineBases, lineBytes].every((n) => Number.isInteger(n) && (n as number) >= 0) || !(lineBases as number > 0)) {
      throw new GenomatrixError(`${faiPath}, line ${i + 1}: expected NAME LENGTH OFFSET LINEBASES LINEWIDTH (a samtools faidx index)`);
    }
    contigs.set(name, { path: fasta, name, length: length as number, offset: offset as number, lineBases: lineBases as number, lineBytes: lineBytes as number });
  });
  return contigs;
}

/** The index of a plain FASTA: its `.fai` when there is one, else built by reading the file once. */
export async function fastaIndex(fasta: string): Promise<Map<string, FastaContig>> {
  if (!existsSync(fasta)) throw new UsageError(`--fasta-ref: ${fasta}: no such file`);
  const magic = Buffer.alloc(2);
  try {
    if (statSync(fasta).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    const fd = openSync(fasta, 'r');
    readSync(fd, magic, 0, 2, 0);
    closeSync(fd);
  } catch (error) {
    throw new UsageError(`--fasta-ref: ${fasta}: ${describeFsError(error)}`);
  }
  if (magic[0] === 0x1f && magic[1] === 0x8b) {
    throw new UsageError(`--fasta-ref: ${fasta} is compressed: give the plain FASTA (gzip -dc ${fasta} > ref.fa)`);
  }
  if (existsSync(`${fasta}.fai`)) return readFai(`${fasta}.fai`, fasta);
  return buildFai(fasta);
}

/** One pass over a FASTA, as `samtools faidx` indexes it. */
async function buildFai(fasta: string): Promise<Map<string, FastaContig>> {
  const contigs = new Map<string, FastaContig>();
  let current: FastaContig | undefined;
  let offset = 0;
  let line = 1;
  let pending = '';
  const problem = (what: string): GenomatrixError => new GenomatrixError(`${fasta}, line ${line}: ${what}`);
  const take = (text: string, bytes: number): void => {
    if (text.startsWith('>')) {
      const name = text.slice(1).split(/\s/)[0] ?? '';
      if (!name) throw problem('expected a sequence name after >');
      current = { path: fasta, name, length: 0, offset: offset + bytes, lineBases: 0, lineBytes: 0 };
      contigs.set(name, current);
    } else if (current) {
      const bases = text.replace(/\r$/, '').length;
      if (current.lineBases === 0) {
        current.lineBases = bases;
        current.lineBytes = bytes;
      } else if (current.length % current.lineBases !== 0 || (bases > current.lineBases)) {
        if (bases > 0) throw problem(`lines of sequence ${current.name} differ in length (a faidx index needs equal lines)`);
      }
      current.length += bases;
    } else if (text.trim() !== '') throw problem('expected a > header line first');
  };
  for await (const chunk of createReadStream(fasta, { encoding: 'latin1' })) {
    const text = pending + (chunk as string);
    let at = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', at)) >= 0) {
      take(text.slice(at, nl), nl + 1 - at);
      offset += nl + 1 - at;
      line++;
      at = nl + 1;
    }
    pending = text.slice(at);
  }
  if (pending !== '') take(pending, pending.length);
  return contigs;
}
