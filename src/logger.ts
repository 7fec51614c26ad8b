/**
 * Structured JSON logs (pino). Secrets are redacted by path as a second line of defence: the
 * gateway never puts the upstream key in a log object to begin with.
 */
import { pino, type DestinationStream, type Level, type Logger } from 'pino';

export type { Logger };

// Exact paths of what the request log writes; wildcard paths cost time on every request line.
const REDACT_PATHS = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'];

/** `destination` lets tests capture the lines; by default they go to stdout. */
export function createLogger(level: Level, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'llamacloud-batch-gateway' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
