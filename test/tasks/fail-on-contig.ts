// A custom task for the fault tests: throws on one contig, and never finishes on the others, so
// the test sees whether a failure tears the rest down instead of hanging behind it.

import { defineTask } from 'genomatrix';

export default defineTask(async (view, args: { contig: string }) => {
  if (view.contig.name === args.contig) throw new Error(`boom on ${view.contig.name}`);
  await new Promise(() => undefined); // never settles
  return view.contig.name;
});
