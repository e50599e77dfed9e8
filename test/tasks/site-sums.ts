// A custom task for the library tests: writes one number per site into a result buffer the main
// thread allocated (the result SharedArrayBuffer pattern), records how many tasks ran at once,
// and reports what the decode helpers read.

import { defineTask } from 'genomatrix';

export interface SiteSumsArgs {
  /** Int32 per table row: haplotype cells that are called and differ from REF. */
  out: SharedArrayBuffer;
  /** Int32 [running, most running at once]. */
  running: SharedArrayBuffer;
}

export default defineTask((view, args: SiteSumsArgs) => {
  const running = new Int32Array(args.running);
  const now = Atomics.add(running, 0, 1) + 1;
  for (let most = Atomics.load(running, 1); now > most; most = Atomics.load(running, 1)) {
    if (Atomics.compareExchange(running, 1, most, now) === most) break;
  }
  const out = new Int32Array(args.out);
  for (let r = 0; r < view.sites; r++) {
    let derived = 0;
    for (const codes of view.haplotypes) {
      const code = codes[r] as number;
      if (view.called(code) && code !== view.ref[r]) derived++;
    }
    out[view.rowOffset + r] = derived;
  }
  const last = view.sites - 1;
  const report = {
    contig: view.contig.name,
    from: view.from,
    to: view.to,
    rowOffset: view.rowOffset,
    firstPos: view.pos[0],
    lastRow: last < 0 ? [] : [view.decode(last, 'REF'), ...view.samples.map((sample) => view.decode(last, sample))],
    lastOutByIndex: last < 0 ? undefined : view.decode(last, view.samples.length - 1),
    allele: view.allele(view.code('G')),
    byName: view.haplotype(view.samples[0] as string) === view.haplotypes[0],
    pairs: view.pairs.map((pair) => pair.name),
  };
  Atomics.sub(running, 0, 1);
  return report;
});
