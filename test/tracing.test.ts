/**
 * OpenTelemetry traces end to end: the real process (through `main`) exporting to a small OTLP
 * collector, against a fake upstream. The tree, the attributes, propagation to LlamaCloud, links
 * for shared work, polls and webhooks as their own traces, and no secret in anything exported.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { gate, sendJson, startFakeUpstream, until, wireJob, wireJobs } from './support/fake-upstream.js';
import { metricValue, TEST_API_KEY } from './support/gateway.js';
import { startCollector } from './support/otlp-collector.js';
import { startMain } from './support/process.js';

const SERVER = 2;

async function waitForMetrics(base: string | URL, predicate: (text: string) => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = await (await fetch(new URL('/metrics', base))).text();
    if (predicate(text)) return;
    if (Date.now() > deadline) throw new Error(`metrics did not reach the expected state:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const CLIENT = 3;
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const WEBHOOK_SECRET = 'whsec-tracing-test-secret-never-exported';

function tracedEnv(collector: URL, upstream: URL, extra: Record<string, string> = {}): Record<string, string> {
  return {
    LLAMA_CLOUD_API_KEY: TEST_API_KEY,
    LLAMA_CLOUD_BASE_URL: upstream.href,
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.href,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_SERVICE_NAME: 'batch-gateway-under-test',
    OTEL_BSP_SCHEDULE_DELAY: '50',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    ...extra,
  };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(new URL('/graphql', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> }));

// Each test starts the gateway with the OpenTelemetry SDK loaded, which is slow on a busy machine.
describe('OpenTelemetry traces (OTEL_EXPORTER_OTLP_ENDPOINT)', { timeout: 60_000 }, () => {
  it('one trace per request: the caller’s trace continues into the HTTP span, the operation, and the upstream call, whose traceparent LlamaCloud receives', async () => {
    await using collector = await startCollector();
    await using upstream = await startFakeUpstream();
    upstream.respond((_req, res) => sendJson(res, 200, { items: wireJobs(2), total_size: 2 }));
    await using proc = await startMain(tracedEnv(collector.url, upstream.url));

    const res = await post(
      proc.url,
      {
        query: 'query Jobs($limit: Int) { batchJobs(limit: $limit) { nodes { id } } }',
        variables: { limit: 2 },
        operationName: 'Jobs',
      },
      { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
    );
    expect(res.status).toBe(200);

    const http = await collector.waitFor((s) => s.kind === SERVER && s.traceId === CALLER_TRACE);
    const operation = await collector.waitFor((s) => s.name === 'query.Jobs');
    const call = await collector.waitFor((s) => s.kind === CLIENT && s.traceId === CALLER_TRACE);

    expect(http).toMatchObject({
      parentSpanId: CALLER_SPAN,
      name: 'POST /graphql',
      service: 'batch-gateway-under-test',
    });
    expect(http.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'http.route': '/graphql',
      'url.path': '/graphql',
    });
    expect(operation).toMatchObject({ traceId: CALLER_TRACE, parentSpanId: http.spanId });
    expect(operation.attributes).toMatchObject({
      'graphql.operation.name': 'Jobs',
      'graphql.operation.type': 'query',
      'graphql.document.hash': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(call).toMatchObject({ parentSpanId: operation.spanId, name: 'GET /api/v1/beta/batch-processing' });
    expect(call.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/api/v1/beta/batch-processing',
      'http.response.status_code': 200,
      'http.request.resend_count': 0,
    });
    // LlamaCloud is told the trace, with the upstream call's span as the parent.
    expect(upstream.requests[0]?.headers.traceparent).toBe(`00-${CALLER_TRACE}-${call.spanId}-01`);
    // The request's log line names its trace.
    const line = await proc.waitForLog((l) => l.msg === 'request' && l.path === '/graphql');
    expect(line.trace_id).toBe(CALLER_TRACE);
    proc.child.kill('SIGTERM');
    expect(await proc.exit).toBe(0);
  });

  it('names the retry attempt and the route template of each upstream call (upstream: 503, then the job)', async () => {
    await using collector = await startCollector();
    await using upstream = await startFakeUpstream();
    let calls = 0;
    upstream.respond((_req, res) => {
      calls += 1;
      if (calls === 1) sendJson(res, 503, { detail: 'busy' });
      else sendJson(res, 200, { job: wireJob({ id: 'bjb-7' }), progress_percentage: 10 });
    });
    await using proc = await startMain(tracedEnv(collector.url, upstream.url, { UPSTREAM_RETRY_BASE_DELAY_MS: '1' }));

    await post(proc.url, { query: '{ batchJob(id: "bjb-7") { id } }' });

    await until(() => collector.spans.filter((s) => s.kind === CLIENT).length >= 2);
    const calls2 = collector.spans.filter((s) => s.kind === CLIENT);
    expect(
      calls2.map((s) => [
        s.name,
        s.attributes['http.route'],
        s.attributes['http.request.resend_count'],
        s.attributes['http.response.status_code'],
      ]),
    ).toEqual([
      ['GET /api/v1/beta/batch-processing/{job_id}', '/api/v1/beta/batch-processing/{job_id}', 0, 503],
      ['GET /api/v1/beta/batch-processing/{job_id}', '/api/v1/beta/batch-processing/{job_id}', 1, 200],
    ]);
  });

  it('a request that joined another’s upstream call links to the span that made it (upstream: held)', async () => {
    await using collector = await startCollector();
    await using upstream = await startFakeUpstream();
    const held = gate();
    upstream.respond(async (_req, res) => {
      await held.opened;
      sendJson(res, 200, { items: wireJobs(1), total_size: 1 });
    });
    // Different operation names, so the executions differ and only the upstream GET is shared.
    await using proc = await startMain(tracedEnv(collector.url, upstream.url));
    const first = post(proc.url, { query: 'query A { batchJobs(limit: 1) { nodes { id } } }' });
    await until(() => upstream.requests.length === 1);
    const second = post(proc.url, { query: 'query B { batchJobs(limit: 1) { totalCount nodes { id } } }' });
    // The very same request as the first: it shares the first's execution (or response).
    const third = post(proc.url, { query: 'query A { batchJobs(limit: 1) { nodes { id } } }' });
    // Both have joined before the answer comes (a fixed pause was too short on a loaded machine:
    // a late B sent a GET of its own).
    await waitForMetrics(
      proc.url,
      (m) =>
        metricValue(m, 'gateway_upstream_coalesced_waiters_total') >= 1 &&
        metricValue(m, 'gateway_graphql_shared_executions_total') >= 1,
    );
    held.open();
    await Promise.all([first, second, third]);

    const joined = await collector.waitFor((s) => s.name === 'joined shared upstream');
    const a = await collector.waitFor((s) => s.name === 'query.A');
    const b = await collector.waitFor((s) => s.name === 'query.B');
    expect(upstream.requests).toHaveLength(1);
    expect(joined.parentSpanId).toBe(b.spanId);
    expect(joined.links).toEqual([{ traceId: a.traceId, spanId: a.spanId }]);
    expect(a.traceId).not.toBe(b.traceId);
    const again = await collector.waitFor((s) => /^joined shared (execution|response)$/.test(s.name));
    const againServer = collector.spans.find((s) => s.spanId === again.parentSpanId);
    expect(againServer).toMatchObject({ kind: SERVER, traceId: again.traceId });
    expect(again.traceId).not.toBe(a.traceId);
    expect(again.links).toHaveLength(1);
    expect(again.links[0]?.traceId).toBe(a.traceId);
  });

  it('does not continue an untrusted caller’s trace (TRUST_TRACE_HEADERS=false), yet still tells LlamaCloud its own', async () => {
    await using collector = await startCollector();
    await using upstream = await startFakeUpstream();
    upstream.respond((_req, res) => sendJson(res, 200, { items: [], total_size: 0 }));
    await using proc = await startMain(tracedEnv(collector.url, upstream.url, { TRUST_TRACE_HEADERS: 'false' }));

    await post(
      proc.url,
      { query: '{ batchJobs { nodes { id } } }' },
      { traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01` },
    );

    const http = await collector.waitFor((s) => s.kind === SERVER);
    expect(http.traceId).not.toBe(CALLER_TRACE);
    expect(http.parentSpanId).toBe('');
    expect(upstream.requests[0]?.headers.traceparent).toMatch(new RegExp(`^00-${http.traceId}-[0-9a-f]{16}-01$`));
  });

  it('subscription polls and webhooks are traces of their own; nothing exported holds a secret, a header or a variable', async () => {
    await using collector = await startCollector();
    await using upstream = await startFakeUpstream();
    upstream.respond((_req, res) =>
      sendJson(res, 200, { job: wireJob({ id: 'bjb-live', status: 'running' }), progress_percentage: 50 }),
    );
    await using proc = await startMain(
      tracedEnv(collector.url, upstream.url, {
        LIVE_POLL_INTERVAL_MS: '100',
        LLAMA_CLOUD_WEBHOOK_SECRET: WEBHOOK_SECRET,
        LIVE_POLL_INTERVAL_WITH_WEBHOOKS_MS: '100',
      }),
    );
    const controller = new AbortController();
    const stream = await fetch(new URL('/graphql', proc.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: 'Bearer client-token-never-exported',
      },
      body: JSON.stringify({
        query: 'subscription Live($id: ID!) { batchJobUpdated(id: $id) { id status } }',
        variables: { id: 'bjb-live' },
      }),
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    const polls = await until(() => collector.spans.filter((s) => s.name === 'poll batch job').length >= 2).then(() =>
      collector.spans.filter((s) => s.name === 'poll batch job'),
    );
    const pollCall = await collector.waitFor(
      (s) => s.kind === CLIENT && polls.some((p) => p.spanId === s.parentSpanId),
    );
    expect(pollCall.attributes['http.route']).toBe('/api/v1/beta/batch-processing/{job_id}');

    // Variables, in a POST body and in a GET query string, go nowhere near a span.
    await post(proc.url, {
      query: 'query Dir($dir: ID) { batchJobs(filter: { directoryId: $dir }) { nodes { id } } }',
      variables: { dir: 'dir-variable-marker' },
    });
    const search = new URLSearchParams({
      query: 'query Dir($dir: ID) { batchJobs(filter: { directoryId: $dir }) { nodes { id } } }',
      variables: JSON.stringify({ dir: 'dir-variable-marker' }),
    });
    await fetch(new URL(`/graphql?${search}`, proc.url), { headers: { 'x-graphql-yoga-csrf': '1' } });
    // An error that quotes the caller's value is recorded by its code only.
    const refused = await post(proc.url, {
      query: 'query Big($limit: Int) { batchJobs(limit: $limit) { nodes { id } } }',
      variables: { limit: 987654321 },
    });
    expect(JSON.stringify(refused.body)).toContain('987654321');
    await until(() => collector.spans.filter((s) => s.name.startsWith('query.')).length === 3);
    const big = await collector.waitFor((s) => s.name === 'query.Big');
    expect(big.attributes['graphql.error.codes']).toBe('BAD_USER_INPUT');

    // The upstream keeps answering "running": had the job finished there, a poll (every 100 ms)
    // could see it first and end the only watch, and a webhook for a job nobody watches reads
    // nothing (live-jobs.ts), which a loaded CI machine once made happen.
    const body = JSON.stringify({ event: 'batch.success', batch_id: 'bjb-live', status: 'COMPLETED' });
    const hook = await fetch(new URL('/webhooks/llamacloud', proc.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'lc-signature': `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`,
      },
      body,
    });
    expect(hook.status).toBe(202);
    const webhook = await collector.waitFor((s) => s.kind === SERVER && s.name === 'POST /webhooks/llamacloud');
    expect(webhook.parentSpanId).toBe('');
    // The job read fresh for the push is in the webhook's trace.
    const fresh = await collector.waitFor((s) => s.kind === CLIENT && s.parentSpanId === webhook.spanId);
    expect(fresh).toMatchObject({ traceId: webhook.traceId, name: 'GET /api/v1/beta/batch-processing/{job_id}' });
    // The stream's own span ends with the stream.
    controller.abort();
    const subscription = await collector.waitFor((s) => s.kind === SERVER && s.name === 'POST /graphql');
    for (const poll of polls) {
      expect(poll.parentSpanId).toBe('');
      expect(poll.traceId).not.toBe(subscription.traceId);
      expect(poll.attributes).toEqual({ 'gateway.job_id': 'bjb-live' });
    }
    // Let the last batch of spans go out, then look through everything exported.
    proc.child.kill('SIGTERM');
    await proc.exit;
    const exported = collector.bodies.join('\n');
    for (const secret of [
      TEST_API_KEY,
      WEBHOOK_SECRET,
      'client-token-never-exported',
      'Bearer',
      'dir-variable-marker',
      '987654321',
    ]) {
      expect(exported).not.toContain(secret);
    }
  });
});
