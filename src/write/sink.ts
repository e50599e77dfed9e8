// What every output is written through: the sink interface alone, so the sinks (output-sink.ts)
// and what wraps them (coalesce-writes.ts) share it without importing each other.

/** A sink of output bytes. */
export interface OutputSink {
  /** Writes `bytes`; once the promise resolves the caller may reuse them. */
  write(bytes: Uint8Array): Promise<void>;
  /** Finishes the output: a file gets its final name. */
  commit(): Promise<void>;
  /** Gives up: a file's temporary is removed, the final name left untouched. */
  abort(): Promise<void>;
}
