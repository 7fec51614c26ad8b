/**
 * How the demo upstream answers, for both of its API generations: JSON bodies, and FastAPI-style
 * validation problems (`{"detail": [{loc, msg, type}]}`) as LlamaCloud sends them.
 */
import type { ServerResponse } from 'node:http';

/** One entry of a 422's `detail`. */
export interface Problem {
  loc: string[];
  msg: string;
  type: string;
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** A whole-number query parameter from `min` to `max`; a bad one is added to `problems`. */
export function intParam(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: Problem[],
): number {
  const raw = query.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw) || n < min || n > max) {
    problems.push({ loc: ['query', name], msg: `Input should be an integer from ${min} to ${max}`, type: 'int' });
    return fallback;
  }
  return n;
}
