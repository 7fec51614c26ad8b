import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sendJson, startFakeUpstream, wireJob } from '../support/fake-upstream.js';
import { metricValue, startGateway } from '../support/gateway.js';
import { subscribe } from '../support/sse.js';

const SUBSCRIPTION =
  'subscription ($id: ID!) { batchJobUpdated(id: $id) { id status processedItems progressPercentage } }';
const INTERVAL = 150;

/** A job LlamaCloud reports; tests change it between polls. */
function upstreamJob() {
  const state = { status: 'running', processed_items: 1, progress: 10, failNext: 0 };
  return {
    state,
    respond: (_req: unknown, res: ServerResponse) => {
      if (state.failNext > 0) {
        state.failNext -= 1;
        sendJson(res, 503, { detail: 'busy' });
        return;
      }
      sendJson(res, 200, {
        job: wireJob({ id: 'bjb-live', status: state.status, total_items: 10, processed_items: state.processed_items }),
        progress_percentage: state.progress,
      });
    },
  };
}

const event = (status: string, processedItems: number, progressPercentage: number) => ({
  event: 'next',
  data: { data: { batchJobUpdated: { id: 'bjb-live', status, processedItems, progressPercentage } } },
});

describe('batchJobUpdated over Server-Sent Events', () => {
  it('shares one poller between two subscribers, pushes changes, and completes after a terminal status', async () => {
    await using upstream = await startFakeUpstream();
    const job = upstreamJob();
    upstream.respond(job.respond);
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { LIVE_POLL_INTERVAL_MS: String(INTERVAL) },
    });

    const a = await subscribe(gateway.url, SUBSCRIPTION, { id: 'bjb-live' });
    const b = await subscribe(gateway.url, SUBSCRIPTION, { id: 'bjb-live' });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await a.next()).toEqual(event('RUNNING', 1, 10));
    expect(await b.next()).toEqual(event('RUNNING', 1, 10));

    // Unchanged polls push nothing; a change reaches both.
    await new Promise((resolve) => setTimeout(resolve, INTERVAL * 3));
    job.state.processed_items = 5;
    job.state.progress = 50;
    expect(await a.next()).toEqual(event('RUNNING', 5, 50));
    expect(await b.next()).toEqual(event('RUNNING', 5, 50));

    job.state.status = 'completed';
    job.state.processed_items = 10;
    job.state.progress = 100;
    expect(await a.next()).toEqual(event('COMPLETED', 10, 100));
    expect(await b.next()).toEqual(event('COMPLETED', 10, 100));
    expect((await a.next()).event).toBe('complete');
    expect((await b.next()).event).toBe('complete');
    const counted = await gateway.waitForMetrics((m) => metricValue(m, 'gateway_subscriptions_active') === 0);
    expect(metricValue(counted, 'gateway_subscriptions_started_total')).toBe(2);
    expect(metricValue(counted, 'gateway_subscriptions_ended_total', { outcome: 'completed' })).toBe(2);

    // One poller: consecutive polls are an interval apart, never two at once for two watchers.
    const times = upstream.requests.map((r) => r.at);
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThan(INTERVAL * 0.8);
    expect(new Set(upstream.requests.map((r) => r.path))).toEqual(new Set(['/api/v1/beta/batch-processing/bjb-live']));
    const settled = upstream.requests.length;
    await new Promise((resolve) => setTimeout(resolve, INTERVAL * 3));
    expect(upstream.requests).toHaveLength(settled);
  });

  it('stops polling when the last subscriber disconnects', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(upstreamJob().respond);
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { LIVE_POLL_INTERVAL_MS: String(INTERVAL) },
    });

    const a = await subscribe(gateway.url, SUBSCRIPTION, { id: 'bjb-live' });
    const b = await subscribe(gateway.url, SUBSCRIPTION, { id: 'bjb-live' });
    await a.next();
    await b.next();
    a.close();
    await new Promise((resolve) => setTimeout(resolve, INTERVAL * 3));
    const whileOneWatches = upstream.requests.length;
    expect(whileOneWatches).toBeGreaterThan(1);
    b.close();
    await new Promise((resolve) => setTimeout(resolve, INTERVAL * 2));
    const afterBothLeft = upstream.requests.length;
    await new Promise((resolve) => setTimeout(resolve, INTERVAL * 4));

    expect(upstream.requests).toHaveLength(afterBothLeft);
    const counted = await gateway.waitForMetrics((m) => metricValue(m, 'gateway_subscriptions_active') === 0);
    expect(metricValue(counted, 'gateway_subscriptions_ended_total', { outcome: 'client_left' })).toBe(2);
  });

  it('passes an upstream failure on as a coded error and keeps the stream open (upstream: 503, then fine)', async () => {
    await using upstream = await startFakeUpstream();
    const job = upstreamJob();
    upstream.respond(job.respond);
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { LIVE_POLL_INTERVAL_MS: String(INTERVAL), UPSTREAM_MAX_RETRIES: '0' },
    });

    const a = await subscribe(gateway.url, SUBSCRIPTION, { id: 'bjb-live' });
    expect(await a.next()).toEqual(event('RUNNING', 1, 10));
    job.state.failNext = 1;
    const failure = await a.next();
    job.state.processed_items = 2;
    job.state.progress = 20;

    expect(failure.event).toBe('next');
    expect(failure.data.errors).toEqual([
      {
        message: 'LlamaCloud is unavailable (HTTP 503). Try again shortly.',
        locations: [{ line: 1, column: 27 }],
        path: ['batchJobUpdated'],
        extensions: { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503 },
      },
    ]);
    expect(await a.next()).toEqual(event('RUNNING', 2, 20));
    a.close();
  });

  it('ends the stream with a coded error for a job LlamaCloud does not know (upstream: 404)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(404, { detail: 'Not Found' });
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { LIVE_POLL_INTERVAL_MS: String(INTERVAL) },
    });

    const a = await subscribe(gateway.url, SUBSCRIPTION, { id: 'bjb-gone' });
    const first = await a.next();

    expect(first.data.errors[0]).toMatchObject({
      message:
        'There is no batch job "bjb-gone" (LlamaCloud knows none by that id). Check the id, or the project this gateway is pinned to.',
      extensions: { code: 'NOT_FOUND', upstreamStatus: 404 },
    });
    expect((await a.next()).event).toBe('complete');
  });

  it('gives 200 new watchers of distinct jobs their job first, never a queue error, with a small upstream pool (upstream: 10 ms per job)', async () => {
    await using upstream = await startFakeUpstream();
    let inFlight = 0;
    let maxInFlight = 0;
    upstream.respond(async (req, res) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 10));
      inFlight -= 1;
      const id = decodeURIComponent(req.path.split('/').pop() ?? '');
      sendJson(res, 200, { job: wireJob({ id, status: 'running' }), progress_percentage: 10 });
    });
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: {
        LIVE_POLL_INTERVAL_MS: '60000',
        UPSTREAM_MAX_CONNECTIONS: '8',
        UPSTREAM_MAX_QUEUE: '16',
        RATE_LIMIT_PER_MINUTE: '0',
        LOG_LEVEL: 'warn',
      },
    });
    const ids = Array.from({ length: 200 }, (_, i) => `bjb-watch-${i}`);

    const subscriptions = await Promise.all(
      ids.map((id) => subscribe(gateway.url, 'subscription ($id: ID!) { batchJobUpdated(id: $id) { id } }', { id })),
    );
    const firsts = await Promise.all(subscriptions.map((sub) => sub.next(10_000)));
    for (const sub of subscriptions) sub.close();

    expect(firsts).toEqual(ids.map((id) => ({ event: 'next', data: { data: { batchJobUpdated: { id } } } })));
    // Polls took at most half the pool, so queries still had connections.
    expect(maxInFlight).toBeLessThanOrEqual(4);
    expect(upstream.requests).toHaveLength(200);
  });

  it('on shutdown ends every stream with a SHUTTING_DOWN error, not as if the job had finished', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(upstreamJob().respond);
    const gateway = await startGateway({ upstreamUrl: upstream.url, env: { LIVE_POLL_INTERVAL_MS: String(INTERVAL) } });

    const a = await subscribe(gateway.url, SUBSCRIPTION, { id: 'bjb-live' });
    expect(await a.next()).toEqual(event('RUNNING', 1, 10));
    const closing = gateway.close();
    const last = await a.next();
    const end = await a.next();
    await closing;

    expect(last).toEqual({
      event: 'next',
      data: {
        data: null,
        errors: [
          {
            message:
              'This gateway is shutting down (a restart or a deploy); the job goes on. Subscribe again in a moment to keep watching it.',
            locations: [{ line: 1, column: 27 }],
            path: ['batchJobUpdated'],
            extensions: { code: 'SHUTTING_DOWN' },
          },
        ],
      },
    });
    expect(end.event).toBe('complete');
  });
});

describe('batchJobUpdated from a browser EventSource (GET, which cannot carry the CSRF header)', () => {
  const streamUrl = (gateway: { url: URL }) => {
    const url = new URL('/graphql', gateway.url);
    url.searchParams.set('query', SUBSCRIPTION);
    url.searchParams.set('variables', JSON.stringify({ id: 'bjb-live' }));
    return url;
  };
  /** The status and first event of a GET stream (a refusal too comes as an event). */
  const open = async (url: URL, headers: Record<string, string>) => {
    const controller = new AbortController();
    const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
    const reader = res.body?.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    // Yoga opens with a keep-alive comment (":"); read up to the first event.
    while (reader && !/event: .*\ndata: .*\n\n/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    controller.abort();
    return { status: res.status, text };
  };

  it.each<[string, Record<string, string>]>([
    ['a page of this gateway (Sec-Fetch-Site: same-origin)', { 'sec-fetch-site': 'same-origin' }],
    ['an allowed origin (CORS_ORIGINS)', { origin: 'https://app.example.com', 'sec-fetch-site': 'cross-site' }],
    ['its own origin, from a browser without Sec-Fetch-*', { origin: 'ORIGIN' }],
    ["a router forwarding its caller's bearer token (no origin)", { authorization: 'Bearer router-forwarded' }],
  ])('lets %s subscribe', async (_, given) => {
    await using upstream = await startFakeUpstream();
    upstream.respond(upstreamJob().respond);
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { LIVE_POLL_INTERVAL_MS: String(INTERVAL), CORS_ORIGINS: 'https://app.example.com' },
    });
    const headers = Object.fromEntries(
      Object.entries(given).map(([name, value]) => [name, value === 'ORIGIN' ? gateway.url.origin : value]),
    );

    const { status, text } = await open(streamUrl(gateway), headers);

    expect(status).toBe(200);
    expect(text).toContain('event: next');
    expect(text).toContain('"status":"RUNNING"');
  });

  it.each<[string, Record<string, string>]>([
    ['another site', { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
    ['a sibling site', { origin: 'https://other.example.com', 'sec-fetch-site': 'same-site' }],
    ['a client that shows no origin at all', {}],
    [
      'a browser sending cached Basic credentials cross-site',
      { authorization: 'Basic dXNlcjpwYXNz', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    ],
  ])('refuses %s without the CSRF header, and polls nothing', async (_, headers) => {
    await using upstream = await startFakeUpstream();
    upstream.respond(upstreamJob().respond);
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { LIVE_POLL_INTERVAL_MS: String(INTERVAL), CORS_ORIGINS: 'https://app.example.com' },
    });

    const { status, text } = await open(streamUrl(gateway), headers);

    expect(status).toBe(403);
    expect(JSON.parse(/^data: (.*)$/m.exec(text)?.[1] ?? '')).toEqual({
      errors: [
        {
          message:
            'Send the "x-graphql-yoga-csrf" header (any value) with requests a browser makes without a CORS preflight (GraphQL over GET, form posts), or POST the query as application/json. An EventSource passes without it from this gateway\'s own origin or an allowed CORS origin.',
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
    expect(upstream.requests).toHaveLength(0);
  });
});
