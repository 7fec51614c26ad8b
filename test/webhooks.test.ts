import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sendJson, startFakeUpstream, wireJob } from './support/fake-upstream.js';
import { metricValue, startGateway, type TestGateway } from './support/gateway.js';
import { startRedis } from './support/redis.js';
import { subscribe } from './support/sse.js';

const SECRET = 'whsec-test-secret-for-the-webhook-tests';
const LIVE = 'subscription ($id: ID!) { batchJobUpdated(id: $id) { id status processedItems } }';
const WEBHOOKS = { LLAMA_CLOUD_WEBHOOK_SECRET: SECRET, LIVE_POLL_INTERVAL_WITH_WEBHOOKS_MS: '60000' };

/** A job LlamaCloud reports; tests move it on between webhooks. */
function liveJob() {
  const state = { status: 'running', processed: 1 };
  return {
    state,
    respond: (_req: unknown, res: ServerResponse) =>
      sendJson(res, 200, {
        job: wireJob({ id: 'bjb-live', status: state.status, total_items: 10, processed_items: state.processed }),
        progress_percentage: state.processed * 10,
      }),
  };
}

const sign = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const hook = (gateway: TestGateway, body: string, headers: Record<string, string>) =>
  gateway.fetch('/webhooks/llamacloud', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
const event = (status: string, extra = '') =>
  JSON.stringify({ event: 'batch.running', batch_id: 'bjb-live', status, extra });
const gets = (upstream: { requests: Array<{ method: string }> }) =>
  upstream.requests.filter((r) => r.method === 'GET').length;

describe('signed LlamaCloud webhooks (POST /webhooks/llamacloud)', () => {
  it('is not there without LLAMA_CLOUD_WEBHOOK_SECRET', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });
    const body = event('RUNNING');
    expect((await hook(gateway, body, { 'lc-signature': sign(body) })).status).toBe(404);
    expect(upstream.requests).toHaveLength(0);
  });

  it('pushes the job to its subscribers within 100 ms of the webhook, long before a poll (upstream: a running job)', async () => {
    await using upstream = await startFakeUpstream();
    const job = liveJob();
    upstream.respond(job.respond);
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: WEBHOOKS });
    const sub = await subscribe(gateway.url, LIVE, { id: 'bjb-live' });
    expect((await sub.next()).data).toEqual({
      data: { batchJobUpdated: { id: 'bjb-live', status: 'RUNNING', processedItems: 1 } },
    });

    const latencies: number[] = [];
    for (const processed of [3, 5, 7]) {
      job.state.processed = processed;
      const body = event('RUNNING', String(processed));
      const sent = performance.now();
      const [res, pushed] = await Promise.all([hook(gateway, body, { 'lc-signature': sign(body) }), sub.next(2000)]);
      latencies.push(performance.now() - sent);
      expect(res.status).toBe(202);
      expect(pushed.data).toEqual({
        data: { batchJobUpdated: { id: 'bjb-live', status: 'RUNNING', processedItems: processed } },
      });
    }
    // The best of three, so a busy machine's one slow moment does not decide.
    expect(Math.min(...latencies)).toBeLessThan(100);
    expect(metricValue(await gateway.metrics(), 'gateway_webhooks_total', { outcome: 'accepted' })).toBe(3);
    sub.close();
  });

  it.each<[string, (body: string) => Record<string, string>]>([
    ['no signature', () => ({})],
    ['a malformed signature', () => ({ 'lc-signature': 'sha256=nothex' })],
    ['a signature without its scheme', (body) => ({ 'lc-signature': sign(body).slice('sha256='.length) })],
    ['a signature made with another secret', (body) => ({ 'lc-signature': sign(body, 'another-secret-entirely') })],
    ['a signature of another body', () => ({ 'lc-signature': sign(event('COMPLETED')) })],
  ])('refuses %s with a bare 401 and reads nothing from LlamaCloud', async (_, headers) => {
    await using upstream = await startFakeUpstream();
    upstream.respond(liveJob().respond);
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: WEBHOOKS });
    const body = event('RUNNING');

    const res = await hook(gateway, body, headers(body));

    expect(res.status).toBe(401);
    expect(res.text).toBe('');
    expect(upstream.requests).toHaveLength(0);
    expect(metricValue(await gateway.metrics(), 'gateway_webhooks_total', { outcome: 'refused' })).toBe(1);
    expect(gateway.transcript.join('\n')).not.toContain(SECRET);
  });

  it('acknowledges a replay and drops it, refuses an oversized body, and never logs a body', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(liveJob().respond);
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: WEBHOOKS });
    const sub = await subscribe(gateway.url, LIVE, { id: 'bjb-live' });
    await sub.next();
    const body = event('RUNNING', 'marker-in-the-body');

    expect((await hook(gateway, body, { 'lc-signature': sign(body) })).status).toBe(202);
    await gateway.waitForMetrics(() => gets(upstream) === 2);
    expect((await hook(gateway, body, { 'lc-signature': sign(body) })).status).toBe(202);
    const large = JSON.stringify({ batch_id: 'bjb-live', status: 'RUNNING', pad: 'x'.repeat(70 * 1024) });
    expect((await hook(gateway, large, { 'lc-signature': sign(large) })).status).toBe(413);

    await new Promise((resolve) => setTimeout(resolve, 100));
    // The subscription's first read and the accepted webhook's: the replay read nothing.
    expect(gets(upstream)).toBe(2);
    sub.close();
    const metrics = await gateway.metrics();
    expect(metricValue(metrics, 'gateway_webhooks_total', { outcome: 'duplicate' })).toBe(1);
    expect(metricValue(metrics, 'gateway_webhooks_total', { outcome: 'too_large' })).toBe(1);
    const logs = gateway.transcript.filter((line) => line.startsWith('{"level"')).join('\n');
    expect(logs).toContain('"path":"/webhooks/llamacloud"');
    expect(logs).not.toContain('marker-in-the-body');
    expect(logs).not.toContain(SECRET);
  });

  it('reaches subscribers on another replica (REDIS_URL; upstream: a running job)', async () => {
    await using upstream = await startFakeUpstream();
    const job = liveJob();
    upstream.respond(job.respond);
    await using redis = await startRedis();
    const env = { ...WEBHOOKS, REDIS_URL: redis.url };
    await using receiver = await startGateway({ upstreamUrl: upstream.url, env });
    await using other = await startGateway({ upstreamUrl: upstream.url, env });
    for (const gateway of [receiver, other])
      await gateway.waitForMetrics((m) => metricValue(m, 'gateway_redis_up') === 1);
    const sub = await subscribe(other.url, LIVE, { id: 'bjb-live' });
    await sub.next();

    job.state.processed = 9;
    const body = event('RUNNING', 'fleet');
    expect((await hook(receiver, body, { 'lc-signature': sign(body) })).status).toBe(202);

    expect((await sub.next(3000)).data).toEqual({
      data: { batchJobUpdated: { id: 'bjb-live', status: 'RUNNING', processedItems: 9 } },
    });
    sub.close();
  });
});
