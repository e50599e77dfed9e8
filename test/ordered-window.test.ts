// The ordered window (src/dispatch/ordered-window.ts), the one mechanism the driver's range tasks
// and the loaders' parse tasks run on: results in task order whatever order the tasks end in, at
// most `window` tasks ahead of the consumer and `concurrency` running, DRAIN, and the first failure
// (of a task or of the iterator) cancelling the rest and reported, with every task settled and the
// iterator closed when the window ends. Tasks here are promises the test ends by hand: no pool, no
// clock.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DRAIN, orderedWindow, type WindowItem, type WindowTask } from '../src/dispatch/ordered-window.js';

/** A task the test ends by hand (or that fails when its signal aborts), and what it saw. */
interface Pending {
  index: number;
  signal: AbortSignal | undefined;
  settled: boolean;
  end(value: number): void;
  fail(error: Error): void;
}

/** Tasks 0..count-1 made as the window asks for them, DRAIN after the indices in `drains`; `log` records the window's steps. */
function tasks(count: number, log: string[], drains: number[] = []): { made: Pending[]; closed: () => boolean; items: () => Generator<WindowItem<number>> } {
  const made: Pending[] = [];
  let closed = false;
  function* items(): Generator<WindowItem<number>> {
    try {
      for (let index = 0; index < count; index++) {
        const task: WindowTask<number> = (signal) =>
          new Promise<number>((resolve, reject) => {
            const pending: Pending = { index, signal, settled: false, end: resolve, fail: reject };
            const settle = () => (pending.settled = true);
            pending.end = (value) => (settle(), resolve(value));
            pending.fail = (error) => (settle(), reject(error));
            signal.addEventListener('abort', () => pending.fail(new Error(`task ${index} cancelled`)), { once: true });
            made.push(pending);
            log.push(`start ${index}`);
          });
        yield task;
        if (drains.includes(index)) yield DRAIN;
      }
    } finally {
      closed = true;
    }
  }
  return { made, closed: () => closed, items };
}

/** Lets every pending promise reaction run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ordered window', () => {
  it('yields results in task order, at most `window` ahead of the consumer and `concurrency` running', async () => {
    const log: string[] = [];
    const { made, items } = tasks(6, log);
    const window = orderedWindow(items(), { window: 3, concurrency: 2 });
    const first = window.next();
    await settle();
    assert.deepEqual(log, ['start 0', 'start 1'], 'two running at most');
    made[1]!.end(11);
    await settle();
    assert.deepEqual(log, ['start 0', 'start 1', 'start 2'], 'a third once one ends: the window holds three');
    made[2]!.end(12);
    await settle();
    assert.equal(made.length, 3, 'no fourth before the first is consumed');
    made[0]!.end(10);
    assert.deepEqual(await first, { value: 10, done: false });
    // The consumer holds result 0 until it asks for the next: only then does task 3 start.
    await settle();
    assert.equal(made.length, 3);
    const second = await window.next();
    assert.deepEqual(second, { value: 11, done: false });
    await settle();
    assert.deepEqual(log.slice(3), ['start 3']);
    // The rest, each task ended as soon as it has started.
    const rest: number[] = [];
    for (;;) {
      await settle();
      for (const task of made) if (!task.settled) task.end(10 + task.index);
      const next = await window.next();
      if (next.done) break;
      rest.push(next.value);
    }
    assert.deepEqual(rest, [12, 13, 14, 15]);
  });

  it('DRAIN: no task after it starts before every task before it is consumed', async () => {
    const log: string[] = [];
    const { made, items } = tasks(4, log, [1]);
    const window = orderedWindow(items(), { window: 4 });
    const first = window.next();
    await settle();
    assert.deepEqual(log, ['start 0', 'start 1']);
    made[0]!.end(0);
    made[1]!.end(1);
    assert.equal((await first).value, 0);
    assert.equal((await window.next()).value, 1);
    await settle();
    assert.deepEqual(log, ['start 0', 'start 1'], 'result 1 is still being consumed');
    const third = window.next();
    await settle();
    assert.deepEqual(log, ['start 0', 'start 1', 'start 2', 'start 3']);
    made[2]!.end(2);
    made[3]!.end(3);
    assert.equal((await third).value, 2);
    assert.equal((await window.next()).value, 3);
    assert.equal((await window.next()).done, true);
  });

  it('the first failure cancels every other task, once, and is the one reported after all have settled', async () => {
    const log: string[] = [];
    const { made, closed, items } = tasks(10, log);
    const results: number[] = [];
    let aborts = 0;
    const consumed = (async () => {
      for await (const value of orderedWindow(items(), { window: 4 })) results.push(value);
    })();
    await settle();
    assert.equal(made.length, 4);
    for (const task of made) task.signal?.addEventListener('abort', () => aborts++);
    made[2]!.fail(new Error('boom in task 2'));
    // Task 0, the head, is still running: it is cancelled too, and task 2's error is reported.
    await assert.rejects(consumed, /^Error: boom in task 2$/);
    assert.deepEqual(results, []);
    assert.ok(made.every((task) => task.settled));
    assert.equal(made.length, 4, 'no task started after the failure');
    assert.equal(aborts, 4, 'one shared signal: aborted once');
    assert.equal(closed(), true, 'the iterator is closed');
  });

  it("an iterator's failure is reported and cancels the running tasks", async () => {
    const started: AbortSignal[] = [];
    async function* items(): AsyncGenerator<WindowItem<number>> {
      yield (signal) => new Promise((_, reject) => (started.push(signal), signal.addEventListener('abort', () => reject(new Error('cancelled')))));
      await settle();
      throw new Error('bad input line 7');
    }
    await assert.rejects(
      (async () => {
        for await (const value of orderedWindow(items(), { window: 2 })) assert.fail(`no result expected, got ${value}`);
      })(),
      /^Error: bad input line 7$/,
    );
    assert.equal(started[0]?.aborted, true);
  });

  it('a consumer that leaves early cancels the running tasks, which have settled when it goes on', async () => {
    const log: string[] = [];
    const { made, closed, items } = tasks(5, log);
    const window = orderedWindow(items(), { window: 3 });
    const first = window.next();
    await settle();
    made[0]!.end(0);
    assert.equal((await first).value, 0);
    await window.return(undefined);
    assert.deepEqual(
      made.map((task) => task.settled),
      made.map(() => true),
    );
    assert.equal(made[1]!.signal?.aborted, true);
    assert.equal(closed(), true);
  });

  it("the caller's signal aborts the run, with its reason, even while the window waits for its iterator", async () => {
    const controller = new AbortController();
    let release: () => void = () => undefined;
    async function* items(): AsyncGenerator<WindowItem<number>> {
      await new Promise<void>((resolve) => (release = resolve));
    }
    const run = (async () => {
      for await (const value of orderedWindow(items(), { window: 2, signal: controller.signal })) assert.fail(`no result expected, got ${value}`);
    })();
    await settle();
    controller.abort(new Error('stop here'));
    await settle();
    release();
    await assert.rejects(run, /^Error: stop here$/);
  });
});
