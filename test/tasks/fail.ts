// A custom task for the library tests: throws on one contig, an error of a built-in class or of
// the task's own class.

import { defineTask } from 'genomatrix';

class AlleleCountError extends Error {
  override name = 'AlleleCountError';
  constructor(
    message: string,
    readonly code: string,
    readonly site: { contig: string; pos: number },
  ) {
    super(message);
  }
}

export default defineTask((view, args: { contig: string; kind: 'range' | 'own' }) => {
  if (view.contig.name !== args.contig) return view.sites;
  const pos = view.pos[0] as number;
  if (args.kind === 'range') throw new RangeError(`window out of range at ${view.contig.name}:${pos}`);
  throw new AlleleCountError(`too many alleles at ${view.contig.name}:${pos}`, 'E_ALLELES', { contig: view.contig.name, pos });
});
