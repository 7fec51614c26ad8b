/**
 * A stand-in for LlamaCloud: a real HTTP server on a loopback port that records every request and
 * answers as each test scripts it, including misbehaving (resets, stalls, HTML pages). The
 * benchmark's upstream (bench/fake-upstream.ts) is this server too, scripted with the demo's jobs
 * and `faulty`, recording nothing.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { seededRandom } from '../../src/demo/jobs.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: string;
  /** When the request had fully arrived (performance.now()). */
  at: number;
}

export type Responder = (request: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface FakeUpstream extends AsyncDisposable {
  url: URL;
  requests: RecordedRequest[];
  /** Sets how the next requests are answered (until set again). */
  respond(responder: Responder): void;
  /** Answers every request with this status and JSON body. */
  replyJson(status: number, body: unknown, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

export interface FakeUpstreamOptions {
  /** Keep every request in `requests` (tests read them); the benchmark's millions are not kept. */
  record?: boolean;
}

export async function startFakeUpstream({ record = true }: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let responder: Responder = (_req, res) => sendJson(res, 200, { items: [], total_size: 0 });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      };
      if (record) requests.push(recorded);
      Promise.resolve(responder(recorded, res)).catch(() => res.destroy());
    });
  });
  // As a real API server keeps its connections: the gateway's pool reuses them.
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    requests,
    respond(next) {
      responder = next;
    },
    replyJson(status, body, headers = {}) {
      responder = (_req, res) => sendJson(res, status, body, headers);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A promise with its resolve function, for holding a fake answer until the test says. */
export function gate(): { opened: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Resolves once `condition` holds, checking every 5 ms (what the fake upstream has received, say). */
export async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/** A complete upstream job with every optional field set; override what a test needs. */
export function wireJob(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'bjb-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    job_type: 'parse',
    project_id: 'proj-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    status: 'running',
    total_items: 10,
    processed_items: 4,
    failed_items: 1,
    skipped_items: 2,
    directory_id: 'dir-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    error_message: 'last attempt: <b>"timeout"</b>',
    job_record_id: 'job_record_id',
    workflow_id: 'workflow_id',
    created_at: '2019-12-27T18:11:19.117Z',
    updated_at: '2019-12-27T18:12:19.117Z',
    started_at: '2019-12-27T18:11:20.117Z',
    completed_at: '2019-12-27T18:13:19.117Z',
    effective_at: '2019-12-27T18:11:19.117Z',
    ...overrides,
  };
}

/** `count` distinct jobs starting at absolute position `from`. */
export function wireJobs(count: number, from = 0): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => wireJob({ id: `bjb-${String(from + i).padStart(4, '0')}` }));
}

/** The ways a failing upstream call fails, in the order `faulty` uses them. */
export const FAULTS = ['503', 'reset', 'stall', 'truncated JSON'] as const;
export type Fault = (typeof FAULTS)[number];

/**
 * A responder that fails about `percent` % of calls at random (a fixed seed, so every run sees
 * the same sequence), cycling through every kind of fault; the others get `answer`. Random, not
 * evenly spread: real failures come in runs, and runs are what trip a consecutive-failure breaker.
 * A stall never answers: the gateway's timeout must end it. `stats` counts calls and faults.
 */
export function faulty(percent: number, answer: Responder, seed = 0x5eed) {
  const stats = { calls: 0, faults: 0 };
  const random = seededRandom(seed);
  const responder: Responder = (req, res) => {
    stats.calls += 1;
    if (random() * 100 >= percent) return answer(req, res);
    const fault = FAULTS[stats.faults % FAULTS.length];
    stats.faults += 1;
    if (fault === '503') sendJson(res, 503, { detail: 'Service Unavailable' });
    else if (fault === 'reset') res.socket?.destroy();
    else if (fault === 'truncated JSON') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"items": [{"id": "bjb-1", "job_');
    }
    // 'stall': nothing is ever sent.
  };
  return { responder, stats };
}
