/**
 * The gateway as a subgraph of a real federation router: Hive Gateway (the JavaScript router that
 * serves subscriptions), in front of the gateway (a real process through `main`, tracing on) and
 * another team's subgraph, composed as a CI step would. Queries, entity references, and
 * `batchJobUpdated` over SSE through the router, with one trace from the router through the
 * subgraph to LlamaCloud.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createGatewayRuntime } from '@graphql-hive/gateway';
import { useOpenTelemetry } from '@graphql-hive/plugin-opentelemetry';
import { openTelemetrySetup } from '@graphql-hive/plugin-opentelemetry/setup';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDirectorySubgraph, DIRECTORY_SDL } from '../support/directory-subgraph.js';
import { compose } from '../support/federated-gateway.js';
import { sendJson, startFakeUpstream, wireJob, type FakeUpstream } from '../support/fake-upstream.js';
import { TEST_API_KEY } from '../support/gateway.js';
import { startCollector, type Collector } from '../support/otlp-collector.js';
import { startMain, type GatewayProcess } from '../support/process.js';
import { subscribe } from '../support/sse.js';

const SUBGRAPH_SDL = readFileSync(new URL('../../src/generated/subgraph.graphql', import.meta.url), 'utf8');
const CALLER_TRACE = '0af7651916cd43dd8448eb211c80319c';
const JWT_SECRET = 'interop-secret-interop-secret-interop-secret';
/** The caller's token: the router forwards it, the subgraph checks it. */
let token = '';

let upstream: FakeUpstream;
let collector: Collector;
let subgraph: GatewayProcess & { url: string };
let directories: Awaited<ReturnType<typeof startDirectorySubgraph>>;
let router: URL;
let closeRouter: () => Promise<void>;
const job = { status: 'running', processed: 2 };

beforeAll(async () => {
  upstream = await startFakeUpstream();
  upstream.respond((req, res) => {
    if (req.path === '/api/v1/beta/batch-processing') {
      sendJson(res, 200, {
        items: [wireJob({ id: 'bjb-1' }), wireJob({ id: 'bjb-2', status: 'completed' })],
        total_size: 2,
      });
      return;
    }
    const id = decodeURIComponent(req.path.split('/').pop() ?? '');
    sendJson(res, 200, {
      job: wireJob({ id, status: id === 'bjb-live' ? job.status : 'completed', processed_items: job.processed }),
      progress_percentage: job.processed * 10,
    });
  });
  collector = await startCollector();
  token = await new SignJWT({ scope: 'batch-jobs:cancel' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('frontend-user-1')
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(JWT_SECRET));
  subgraph = await startMain({
    AUTH_MODE: 'jwt',
    JWT_SECRET,
    LLAMA_CLOUD_API_KEY: TEST_API_KEY,
    LLAMA_CLOUD_BASE_URL: upstream.url.href,
    LIVE_POLL_INTERVAL_MS: '100',
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url.href,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_SERVICE_NAME: 'batch-jobs-subgraph',
    OTEL_BSP_SCHEDULE_DELAY: '50',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
  });
  directories = await startDirectorySubgraph([{ id: 'dir-1', name: 'Invoices', jobIds: ['bjb-1', 'bjb-2'] }]);
  const composition = compose([
    { name: 'batch-jobs', url: new URL('/graphql', subgraph.url), sdl: SUBGRAPH_SDL },
    { name: 'directories', url: directories.url, sdl: DIRECTORY_SDL },
  ]);
  if (composition.errors) throw new Error(composition.errors.map((e) => e.message).join('\n'));

  // The router's own traces, to the same collector: Hive Gateway's OpenTelemetry setup.
  openTelemetrySetup({
    contextManager: new AsyncLocalStorageContextManager(),
    resource: { serviceName: 'hive-gateway' },
    traces: { exporter: new OTLPTraceExporter({ url: new URL('/v1/traces', collector.url).href }), batching: false },
  });
  const gateway = createGatewayRuntime({
    supergraph: composition.supergraphSdl,
    logging: false,
    plugins: (context) => [useOpenTelemetry({ ...context, traces: true })],
    // As deployed: the router forwards its caller's token to the subgraph that checks it. (A
    // bearer token is also what lets the router's GET subscription past the subgraph's CSRF
    // check; without one, add the x-graphql-yoga-csrf header in transportEntries.)
    propagateHeaders: {
      fromClientToSubgraphs: ({ request, subgraphName }) =>
        subgraphName === 'batch-jobs' ? { authorization: request.headers.get('authorization') ?? '' } : {},
    },
  });
  const server = createServer(gateway);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  router = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`);
  closeRouter = async () => {
    await gateway.dispose();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
});

afterAll(async () => {
  await closeRouter?.();
  subgraph?.child.kill('SIGTERM');
  await subgraph?.exit;
  await directories?.close();
  await upstream?.close();
  await collector?.[Symbol.asyncDispose]();
});

const viaRouter = (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) =>
  fetch(router, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  }).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> }));

describe('behind Hive Gateway', () => {
  it('answers queries and entity references across both subgraphs', async () => {
    const res = await viaRouter(`{
      batchJobs(limit: 2) { totalCount nodes { id status } }
      directories { id name batchJobs { id status progressPercentage } }
    }`);

    expect(res.body).toEqual({
      data: {
        batchJobs: {
          totalCount: 2,
          nodes: [
            { id: 'bjb-1', status: 'RUNNING' },
            { id: 'bjb-2', status: 'COMPLETED' },
          ],
        },
        directories: [
          {
            id: 'dir-1',
            name: 'Invoices',
            batchJobs: [
              { id: 'bjb-1', status: 'COMPLETED', progressPercentage: 20 },
              { id: 'bjb-2', status: 'COMPLETED', progressPercentage: 20 },
            ],
          },
        ],
      },
    });
  });

  it('streams batchJobUpdated over SSE through the router, first the job, then its changes, then the end', async () => {
    job.status = 'running';
    job.processed = 2;
    const sub = await subscribe(
      router,
      'subscription { batchJobUpdated(id: "bjb-live") { id status processedItems } }',
      {},
      { authorization: `Bearer ${token}` },
    );
    expect(sub.status).toBe(200);
    expect((await sub.next()).data).toEqual({
      data: { batchJobUpdated: { id: 'bjb-live', status: 'RUNNING', processedItems: 2 } },
    });
    job.processed = 5;
    expect((await sub.next()).data).toEqual({
      data: { batchJobUpdated: { id: 'bjb-live', status: 'RUNNING', processedItems: 5 } },
    });
    job.status = 'completed';
    expect((await sub.next()).data).toEqual({
      data: { batchJobUpdated: { id: 'bjb-live', status: 'COMPLETED', processedItems: 5 } },
    });
    expect((await sub.next()).event).toBe('complete');
    sub.close();
  });

  it('continues one trace from the caller through the router and the subgraph to LlamaCloud', async () => {
    const before = upstream.requests.length;
    await viaRouter('query RouterTraced { batchJob(id: "bjb-9") { id } }', undefined, {
      traceparent: `00-${CALLER_TRACE}-b7ad6b7169203331-01`,
    });

    const routerSpan = await collector.waitFor(
      (s) => s.service === 'hive-gateway' && s.parentSpanId === 'b7ad6b7169203331',
    );
    const subgraphServer = await collector.waitFor(
      (s) => s.service === 'batch-jobs-subgraph' && s.kind === 2 && s.traceId === CALLER_TRACE,
    );
    const upstreamCall = await collector.waitFor(
      (s) => s.service === 'batch-jobs-subgraph' && s.kind === 3 && s.traceId === CALLER_TRACE,
    );
    expect(routerSpan.traceId).toBe(CALLER_TRACE);
    // The subgraph's server span is a child of one of the router's spans (its subgraph call).
    const parent = collector.spans.find((s) => s.spanId === subgraphServer.parentSpanId);
    expect(parent?.service).toBe('hive-gateway');
    expect(upstreamCall.attributes['http.route']).toBe('/api/v1/beta/batch-processing/{job_id}');
    const sent = upstream.requests.slice(before).find((r) => r.path.endsWith('/bjb-9'));
    expect(sent?.headers.traceparent).toBe(`00-${CALLER_TRACE}-${upstreamCall.spanId}-01`);
  });
});
