/**
 * Structured JSON logs (pino), one object per line, `time` in epoch milliseconds (pino's default,
 * the cheapest). Nothing secret is ever put in a log object: the upstream key never leaves the
 * upstream client, and the request log writes a client's Authorization header as "[redacted]".
 */
import { destination as fileDestination, pino, type DestinationStream, type Level, type Logger } from 'pino';

import { activeTraceIds } from './tracing.js';

export type { Logger };

const LOG_BUFFER_BYTES = 16 * 1024 * 1024;
/** Lines are handed to stdout together once this many bytes wait... */
const BATCH_BYTES = 16 * 1024;
/** ...or this long after the first of them. */
const BATCH_MS = 50;
/** The most bytes one character of a JavaScript string takes in UTF-8. */
const MAX_UTF8_BYTES_PER_CHAR = 3;

/** pino's destination in buffer mode (its types know only strings). */
interface Sink {
  write(data: Buffer): boolean;
  flushSync(): void;
}

/**
 * Gathers log lines into one write. On its own, pino's asynchronous destination writes each line
 * as it comes whenever no write is under way, and at a thousand requests a second that is nearly
 * every line: each write is a hand-off to libuv's thread pool and a wake-up of the event loop when
 * it completes, which cost more than making the line. Lines wait at most BATCH_MS; what waits when
 * the process exits (also on an uncaught exception) is written synchronously then.
 *
 * Waiting lines are copied into one buffer as they come rather than kept as strings: a line kept
 * for tens of milliseconds outlives a young-generation collection or two under load and is copied
 * into the old generation, about 0.8 KB per request (`--trace-gc-nvp`, and a heap profile of what
 * survived the young generation). The buffer's bytes live outside the JavaScript heap.
 */
class LineBatch implements DestinationStream {
  readonly #sink: Sink;
  #batch = Buffer.allocUnsafe(BATCH_BYTES);
  #used = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(sink: Sink) {
    this.#sink = sink;
    process.once('exit', () => {
      this.flush();
      try {
        sink.flushSync();
      } catch {
        // stdout is gone or not writable: nothing else could be done with the lines
      }
    });
  }

  write(line: string): void {
    if (line.length * MAX_UTF8_BYTES_PER_CHAR > BATCH_BYTES - this.#used) {
      this.flush();
      // A line longer than a whole batch goes on its own.
      if (line.length * MAX_UTF8_BYTES_PER_CHAR > BATCH_BYTES) {
        this.#sink.write(Buffer.from(line, 'utf8'));
        return;
      }
    }
    this.#used += this.#batch.write(line, this.#used, 'utf8');
    this.#timer ??= setTimeout(() => this.flush(), BATCH_MS).unref();
  }

  /** Hands the waiting lines to stdout's destination (which writes them as soon as it can). */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#used === 0) return;
    // The destination keeps what it is given until written: the batch's buffer goes with it.
    const waiting = this.#batch.subarray(0, this.#used);
    this.#batch = Buffer.allocUnsafe(BATCH_BYTES);
    this.#used = 0;
    this.#sink.write(waiting);
  }
}

/**
 * `destination` lets tests capture the lines. By default they go to stdout asynchronously, in
 * batches (LineBatch). If stdout stops draining (a stuck log collector), lines beyond
 * LOG_BUFFER_BYTES are dropped rather than held: memory stays bounded and requests keep flowing.
 */
export function createLogger(level: Level, destination?: DestinationStream, traced = false): Logger {
  const options = {
    level,
    base: { service: 'llamacloud-batch-gateway' },
    // With tracing on, each line names the span it was written in (`trace_id`, `span_id`).
    ...(traced ? { mixin: () => activeTraceIds() ?? {} } : {}),
  };
  return pino(
    options,
    destination ??
      new LineBatch(
        fileDestination({
          dest: 1,
          sync: false,
          maxLength: LOG_BUFFER_BYTES,
          contentMode: 'buffer',
        }) as unknown as Sink,
      ),
  );
}
