// Numbers in shared memory: a message passes a SharedArrayBuffer as a reference, where a typed
// array of its own is copied into the message and out again (and a view of part of one sends all
// of its buffer).

/** `length` zeros in shared memory. */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(8 * length));
}
