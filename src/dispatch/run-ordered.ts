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
  for await (const [result, index] of orderedResults(count, window, start)) await consume(result, index);
}

/**
 * The same as an async generator: yields `[result, index]` in index order, at most `window` tasks
 * running or waiting to be taken. Ending the iteration early starts nothing more.
 */
export async function* orderedResults<T>(count: number, window: number, start: (index: number) => Promise<T>): AsyncGenerator<[T, number]> {
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
    yield [result, done];
  }
}
