// A custom task for the `threads` test: counts the tasks running at once. Until two tasks have
// overlapped, a task running alone waits (up to `waitMs`) for another to start beside it, so tasks
// that are allowed to overlap do; the bound only keeps a run limited to one thread from waiting forever.

import { defineTask } from 'genomatrix';

export default defineTask((view, args: { running: SharedArrayBuffer; waitMs: number }) => {
  const running = new Int32Array(args.running); // [running now, most at once]
  const now = Atomics.add(running, 0, 1) + 1;
  Atomics.notify(running, 0);
  for (let most = Atomics.load(running, 1); now > most; most = Atomics.load(running, 1)) {
    if (Atomics.compareExchange(running, 1, most, now) === most) break;
  }
  // Alone, and no two tasks have overlapped yet: wait to be woken by a second task starting.
  if (now === 1 && Atomics.load(running, 1) < 2) Atomics.wait(running, 0, 1, args.waitMs);
  const seen = Math.max(now, Atomics.load(running, 0));
  for (let most = Atomics.load(running, 1); seen > most; most = Atomics.load(running, 1)) {
    if (Atomics.compareExchange(running, 1, most, seen) === most) break;
  }
  Atomics.sub(running, 0, 1);
  return view.sites;
});
