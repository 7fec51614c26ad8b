/**
 * Structured JSON logs (pino), one object per line, `time` in epoch milliseconds (pino's default,
 * the cheapest). Nothing secret is ever put in a log object: the upstream key never leaves the
 * upstream client, and the request log writes a client's Authorization header as "[redacted]".
 */
import { pino, type DestinationStream, type Level, type Logger } from 'pino';

export type { Logger };

/** `destination` lets tests capture the lines; by default they go to stdout. */
export function createLogger(level: Level, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'llamacloud-batch-gateway' },
  };
  return destination ? pino(options, destination) : pino(options);
}
