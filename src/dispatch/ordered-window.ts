// The ordered window: the one mechanism that moves tasks through the worker pool and hands their
// results on in order. The conversion driver runs its range tasks on it (dispatch/drive.ts), and
// the text loaders their parse tasks (read/load-text.ts in memory, read/stream-contigs.ts
// streamed). It imports nothing, so the loaders below the driver use it too.
//
//   tasks        any iterator (sync or async) of tasks, each started with the signal that cancels
//                it; the next task is taken only when there is room for it, so the iterator may
//                prepare a task (take a buffer, cut a range) when it is asked for one;
//   window       at most `window` tasks launched and not yet consumed: a finished task waiting for
//                its turn holds its place (the back-pressure that bounds what results hold), and so
//                does the result being consumed until the consumer asks for the next;
//   concurrency  at most `concurrency` of them running;
//   order        results are handed on in the order of their tasks;
//   DRAIN        among the tasks: nothing more is taken until every task before it is consumed (a
//                streamed contig's buffers are reused by the next contig);
//   failure      the first failure, of a task or of the iterator, cancels every task (one shared
//                signal: tinypool drops a queued task, or stops the thread running it) and is the
//                one reported (the caller's signal's reason when that aborted the run). A task taken
//                after it still starts, with the aborted signal, so its own clean-up runs.
//
// When the window ends, whatever ended it (the last result, a failure, the consumer leaving early),
// every task it launched has settled and the iterator is closed.

/** A task of the window: started with the signal that cancels it. */
export type WindowTask<R> = (signal: AbortSignal) => Promise<R>;

/** Among a window's tasks: take nothing more until every task before it is consumed. */
export const DRAIN = Symbol('drain');

/** What a window's task iterator yields. */
export type WindowItem<R> = WindowTask<R> | typeof DRAIN;

/** Options of `orderedWindow`. */
export interface WindowOptions<R> {
  /** Tasks launched and not yet consumed (at least 1). */
  window: number;
  /** Tasks running at once (default: `window`). */
  concurrency?: number | undefined;
  /** Aborts the run: every task is cancelled and this signal's reason is reported. */
  signal?: AbortSignal | undefined;
  /** Called as each task completes, in any order (a count of tasks done). */
  onDone?: ((result: R) => void) | undefined;
}

/**
 * Runs the tasks of `tasks` at most `window` ahead of the consumer and yields their results in
 * order (see the top of this file).
 *
 * @example
 * for await (const parsed of orderedWindow(parseTasks(), { window: 2 * pool.threads })) append(parsed);
 */
export function orderedWindow<R>(tasks: AsyncIterable<WindowItem<R>> | Iterable<WindowItem<R>>, options: WindowOptions<R>): AsyncGenerator<R, void, undefined> {
  return new Window(tasks, options).results();
}

/** The state of one ordered window. */
class Window<R> {
  private readonly iterator: AsyncIterator<WindowItem<R>> | Iterator<WindowItem<R>>;
  private readonly window: number;
  private readonly concurrency: number;
  /** Launched tasks not yet consumed, in order. */
  private readonly queue: Promise<R>[] = [];
  private readonly cancel = new AbortController();
  private readonly signal: AbortSignal;
  private running = 0;
  private exhausted = false;
  private draining = false;
  private closed = false;
  private failure: { error: unknown } | undefined;
  /** The loop taking tasks from the iterator, while it runs. */
  private taking: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly onAbort = (): void => this.fail(this.options.signal?.reason);

  constructor(
    tasks: AsyncIterable<WindowItem<R>> | Iterable<WindowItem<R>>,
    private readonly options: WindowOptions<R>,
  ) {
    this.iterator = Symbol.asyncIterator in tasks ? tasks[Symbol.asyncIterator]() : tasks[Symbol.iterator]();
    this.window = Math.max(1, options.window);
    this.concurrency = Math.max(1, options.concurrency ?? this.window);
    this.signal = options.signal ? AbortSignal.any([options.signal, this.cancel.signal]) : this.cancel.signal;
  }

  async *results(): AsyncGenerator<R, void, undefined> {
    this.options.signal?.addEventListener('abort', this.onAbort, { once: true });
    try {
      this.options.signal?.throwIfAborted();
      for (;;) {
        this.take();
        if (this.failure) throw this.failure.error;
        const head = this.queue[0];
        if (head === undefined) {
          if (this.exhausted && !this.taking) return;
          await new Promise<void>((resolve) => (this.wake = resolve));
          continue;
        }
        const result = await head;
        yield result;
        this.queue.shift();
      }
    } catch (error) {
      this.fail(error);
      throw this.reported(error);
    } finally {
      this.options.signal?.removeEventListener('abort', this.onAbort);
      this.closed = true;
      if (!this.exhausted || this.queue.length > 0) this.cancel.abort(new Error('the ordered window was closed'));
      await this.taking;
      await Promise.allSettled(this.queue);
      try {
        await this.iterator.return?.();
      } catch (error) {
        // After a failure, the first one is what is reported; otherwise the iterator's own.
        if (!this.failure) throw error;
      }
    }
  }

  /** Starts taking tasks from the iterator, unless it is taking already or there is no room. */
  private take(): void {
    if (this.taking || this.exhausted || this.closed || this.failure || !this.room()) return;
    this.taking = this.takeWhileRoom().finally(() => {
      this.taking = undefined;
      this.notify();
    });
  }

  private async takeWhileRoom(): Promise<void> {
    try {
      while (!this.closed && !this.failure && this.room()) {
        const next = await this.iterator.next();
        if (next.done) {
          this.exhausted = true;
          return;
        }
        if (next.value === DRAIN) this.draining = true;
        else this.launch(next.value);
      }
    } catch (error) {
      this.exhausted = true;
      this.fail(error);
    }
  }

  /** True when one more task may start: the window and the running tasks have room, and no drain waits. */
  private room(): boolean {
    if (this.draining && this.queue.length === 0) this.draining = false;
    return !this.draining && this.queue.length < this.window && this.running < this.concurrency;
  }

  private launch(task: WindowTask<R>): void {
    let result: Promise<R>;
    try {
      result = task(this.signal);
    } catch (error) {
      result = Promise.reject(error);
    }
    this.running++;
    this.queue.push(result);
    result.then(
      (value) => {
        this.running--;
        try {
          this.options.onDone?.(value);
        } catch (error) {
          this.fail(error); // a progress callback's exception fails the run, as a task's would
        }
        this.take();
        this.notify();
      },
      (error: unknown) => {
        this.running--;
        this.fail(error);
      },
    );
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = { error };
    this.cancel.abort(error);
    this.notify();
  }

  /** The error to report: the caller's signal's reason when it aborted the run, else the first failure. */
  private reported(error: unknown): unknown {
    if (this.options.signal?.aborted) return this.options.signal.reason;
    return this.failure ? this.failure.error : error;
  }
}
