/**
 * The real gateway (config parsing, app factory, HTTP server) on a loopback port, wired to a fake
 * upstream, with its log lines captured. Closing it fails the test if the upstream key appears in
 * any response or log line it produced: every test is also a leak test.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createApp } from '../../src/app.js';
import type { GraphiQLLoader } from '../../src/http/graphiql.js';
import { parseConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { listen } from '../../src/http/server.js';
import type { LlamaCloudClient } from '../../src/upstream/client.js';

/** A fresh key per run, so it cannot leak from the repository into an assertion by accident. */
export const TEST_API_KEY = `llx-test-${randomBytes(18).toString('hex')}`;

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  // Tests assert on arbitrary JSON shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

/** The value of one Prometheus sample in a /metrics text, or 0 when it is absent. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => present[k] === v)) return Number(match[3]);
  }
  return 0;
}

export interface TestGateway extends AsyncDisposable {
  url: URL;
  /** Parsed JSON log lines written so far. */
  logs: Array<Record<string, unknown>>;
  /** Raw text of every log line and every response body so far. */
  transcript: string[];
  query(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse>;
  fetch(path: string, init?: RequestInit): Promise<GraphQLResponse>;
  /** The current /metrics text. */
  metrics(): Promise<string>;
  /** Resolves once `predicate` holds for the /metrics text (polled; metrics have no events). */
  waitForMetrics(predicate: (text: string) => boolean, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

export async function startGateway(options: {
  upstreamUrl: URL;
  env?: Record<string, string>;
  /** A client to use instead of one for `upstreamUrl`: for what no upstream answer can cause (a bug). */
  upstream?: LlamaCloudClient;
  /** How GraphiQL's code is loaded (a test makes it fail). */
  loadGraphiQL?: GraphiQLLoader;
}): Promise<TestGateway> {
  const config = parseConfig({
    LLAMA_CLOUD_API_KEY: TEST_API_KEY,
    LLAMA_CLOUD_BASE_URL: options.upstreamUrl.href,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'debug',
    // Queries compile on their first run, so every test also checks the compiled path; the
    // generic path is checked against it in compiled-execution.test.ts.
    COMPILE_QUERIES_AFTER: '1',
    ...options.env,
  });
  const logs: Array<Record<string, unknown>> = [];
  const transcript: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        transcript.push(line);
        logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const app = createApp({
    config,
    logger: createLogger(config.log.level, destination),
    upstream: options.upstream,
    loadGraphiQL: options.loadGraphiQL,
  });
  // One client at a time here: idle connections may close at once on shutdown.
  const server = await listen(app, { ...config.server, idleCloseMs: 0 });

  const doFetch = async (path: string, init?: RequestInit): Promise<GraphQLResponse> => {
    const response = await fetch(new URL(path, server.url), init);
    const text = await response.text();
    transcript.push(text, JSON.stringify([...response.headers]));
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (GraphiQL's HTML, say): tests read `text`
    }
    return { status: response.status, headers: response.headers, body, text };
  };

  const close = async () => {
    await server.close(1000);
    const leaks = transcript.filter((entry) => entry.includes(TEST_API_KEY));
    if (leaks.length > 0)
      throw new Error(`The upstream API key leaked into ${leaks.length} response(s) or log line(s)`);
  };
  return {
    url: server.url,
    logs,
    transcript,
    fetch: doFetch,
    query: (query, variables, headers = {}) =>
      doFetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      }),
    metrics: async () => (await fetch(new URL('/metrics', server.url))).text(),
    async waitForMetrics(predicate, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const text = await (await fetch(new URL('/metrics', server.url))).text();
        if (predicate(text)) return text;
        if (Date.now() > until) throw new Error(`metrics did not reach the expected state within ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
