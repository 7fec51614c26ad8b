/**
 * Structured JSON logs (pino), one object per line, `time` in epoch milliseconds (pino's default,
 * the cheapest). Nothing secret is ever put in a log object: the upstream key never leaves the
 * upstream client, and the request log writes a client's Authorization header as "[redacted]".
 */
import { destination as fileDestination, pino, type DestinationStream, type Level, type Logger } from 'pino';

import { activeTraceIds } from './tracing.js';

export type { Logger };

const LOG_BUFFER_BYTES = 16 * 1024 * 1024;

/**
 * `destination` lets tests capture the lines. By default they go to stdout asynchronously: a line
 * is handed to the kernel in the background, and lines logged while a write is under way go out
 * together in the next one, instead of one blocking write per request on the event loop. pino
 * flushes what is left when the process exits (also on an uncaught exception); only a SIGKILL can
 * lose the last lines. If stdout stops draining (a stuck log collector), lines beyond
 * LOG_BUFFER_BYTES are dropped rather than held: memory stays bounded and requests keep flowing.
 */
export function createLogger(level: Level, destination?: DestinationStream, traced = false): Logger {
  const options = {
    level,
    base: { service: 'llamacloud-batch-gateway' },
    // With tracing on, each line names the span it was written in (`trace_id`, `span_id`).
    ...(traced ? { mixin: () => activeTraceIds() ?? {} } : {}),
  };
  return pino(options, destination ?? fileDestination({ dest: 1, sync: false, maxLength: LOG_BUFFER_BYTES }));
}
