// A user task's exception, carried from the worker to the main thread. Structured clone keeps the
// built-in error classes (TypeError, RangeError, ...) but turns any other class into a bare `Error`
// and drops its own properties (`code`, ...), so a task's error is sent as plain data instead and
// rebuilt on the main thread: same message and stack, same `name`, the built-in class when it is one,
// and the error's own cloneable properties.

/** Key of the plain object a failed custom task returns instead of throwing. */
const FAILURE_KEY = '__genomatrixTaskFailure';

/** A task's exception as plain data. */
export interface TaskFailure {
  [FAILURE_KEY]: {
    name: string;
    message: string;
    stack: string | undefined;
    properties: Record<string, unknown>;
  };
}

const BUILT_IN: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** In the worker: the failure to return for `error`, or undefined when structured clone carries it whole (not an Error). */
export function taskFailure(error: unknown): TaskFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const properties: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'name' || key === 'message' || key === 'stack') continue;
    try {
      properties[key] = structuredClone(value);
    } catch {
      // a property that cannot cross threads (a function, a socket) is left out
    }
  }
  return { [FAILURE_KEY]: { name: error.name, message: error.message, stack: error.stack, properties } };
}

/** On the main thread: the rebuilt error when `result` is a failure, else undefined. */
export function errorOfFailure(result: unknown): Error | undefined {
  if (typeof result !== 'object' || result === null || !(FAILURE_KEY in result)) return undefined;
  const failure = (result as TaskFailure)[FAILURE_KEY];
  const error = new (BUILT_IN[failure.name] ?? Error)(failure.message);
  Object.assign(error, failure.properties);
  if (error.name !== failure.name) Object.defineProperty(error, 'name', { value: failure.name, writable: true, configurable: true, enumerable: false });
  if (failure.stack !== undefined) error.stack = failure.stack;
  return error;
}
