// A custom task for the abort tests: says it started, then blocks until the main thread releases
// it (or aborts the run, which stops its thread).

import { defineTask } from 'genomatrix';

export default defineTask((view, args: { flags: SharedArrayBuffer }) => {
  const flags = new Int32Array(args.flags);
  Atomics.add(flags, 0, 1);
  Atomics.notify(flags, 0);
  Atomics.wait(flags, 1, 0);
  return view.sites;
});
