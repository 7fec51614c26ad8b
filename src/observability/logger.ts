/**
 * Structured JSON logs (pino), one object per line, `time` in epoch milliseconds (pino's default,
 * the cheapest). Nothing secret is ever put in a log object: the upstream key never leaves the
 * upstream client, and the request log writes a client's Authorization header as "[redacted]".
 */
import { destination as fileDestination, pino, type DestinationStream, type Level, type Logger } from 'pino';

import { activeTraceIds } from './tracing.js';

export type { Logger };

const LOG_BUFFER_BYTES = 16 * 1024 * 1024;
/** Lines are handed to stdout together once this many characters wait... */
const BATCH_CHARS = 16 * 1024;
/** ...or this long after the first of them. */
const BATCH_MS = 50;

type Sink = ReturnType<typeof fileDestination>;

/**
 * Gathers log lines into one write. On its own, pino's asynchronous destination writes each line
 * as it comes whenever no write is under way, and at a thousand requests a second that is nearly
 * every line: each write is a hand-off to libuv's thread pool and a wake-up of the event loop when
 * it completes, which cost more than making the line. Lines wait at most BATCH_MS; what waits when
 * the process exits (also on an uncaught exception) is written synchronously then.
 */
class LineBatch implements DestinationStream {
  readonly #sink: Sink;
  #lines: string[] = [];
  #chars = 0;
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
    this.#lines.push(line);
    this.#chars += line.length;
    if (this.#chars >= BATCH_CHARS) this.flush();
    else this.#timer ??= setTimeout(() => this.flush(), BATCH_MS).unref();
  }

  /** Hands the waiting lines to stdout's destination (which writes them as soon as it can). */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#lines.length === 0) return;
    const text = this.#lines.join('');
    this.#lines = [];
    this.#chars = 0;
    this.#sink.write(text);
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
    destination ?? new LineBatch(fileDestination({ dest: 1, sync: false, maxLength: LOG_BUFFER_BYTES })),
  );
}
