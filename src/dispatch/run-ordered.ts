// Runs numbered tasks with at most `window` in flight and hands their results on in order.
// The window is the back-pressure: a result waiting to be consumed holds a slot, so memory held
// by finished but unwritten results stays bounded.

/** Starts `start(i)` for i in [0, count), consumes results in index order, at most `window` running. */
export async function runOrdered<T>(
  count: number,
  window: number,
  start: (index: number) => Promise<T>,
  consume: (result: T, index: number) => Promise<void> | void,
): Promise<void> {
  const running: Promise<T>[] = [];
  let next = 0;
  const launch = (): void => {
    const promise = start(next++);
    promise.catch(() => undefined); // a failure is reported when its turn comes, not as unhandled
    running.push(promise);
  };
  while (next < count && running.length < window) launch();
  for (let done = 0; done < count; done++) {
    const result = await (running.shift() as Promise<T>);
    if (next < count) launch();
    await consume(result, done);
  }
}
