import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { sendJson, startFakeUpstream, until, wireJob, wireJobs } from '../support/fake-upstream.js';
import { metricValue, TEST_API_KEY } from '../support/gateway.js';
import { graphql, startMain, type GatewayProcess } from '../support/process.js';
import { startRedis } from '../support/redis.js';
import { subscribe } from '../support/sse.js';

const PAGE = 'query ($offset: Int!) { batchJobs(limit: 2, offset: $offset) { totalCount } }';
const LIVE = 'subscription ($id: ID!) { batchJobUpdated(id: $id) { id status processedItems } }';
const liveEvent = (status: string, processedItems: number) => ({
  event: 'next',
  data: { data: { batchJobUpdated: { id: 'bjb-live', status, processedItems } } },
});
const PREFIX = 'fleet-test:';

/** Three gateway processes started through the real main, sharing one Redis and one upstream. */
async function startFleet(upstreamUrl: URL, redisUrl: string, env: Record<string, string> = {}) {
  const replicas = await Promise.all(
    Array.from({ length: 3 }, () =>
      startMain({
        LLAMA_CLOUD_API_KEY: TEST_API_KEY,
        LLAMA_CLOUD_BASE_URL: upstreamUrl.href,
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: PREFIX,
        // Three processes on a machine running the rest of the suite: a command may take longer
        // than production's 250 ms without Redis being unwell (the slow-Redis test sets 250).
        REDIS_COMMAND_TIMEOUT_MS: '2000',
        ...env,
      }),
    ),
  );
  // Each says when it has Redis; before that it limits on its own.
  await Promise.all(
    replicas.map((replica) => replica.waitForLog((line) => String(line.msg).startsWith('redis connected'))),
  );
  return replicas;
}

async function stopAll(replicas: GatewayProcess[]) {
  for (const replica of replicas) await replica[Symbol.asyncDispose]();
}

const metricsOf = async (url: string) => (await fetch(new URL('/metrics', url))).text();

describe('replicas sharing Redis (REDIS_URL)', () => {
  it('hold RATE_LIMIT_PER_MINUTE across all replicas together: 30 requests over three, 10 allowed (upstream: a page)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(200, { items: wireJobs(2), total_size: 2 });
    await using redis = await startRedis();
    const replicas = await startFleet(upstream.url, redis.url, { RATE_LIMIT_PER_MINUTE: '10' });
    try {
      const answers = [];
      for (let i = 0; i < 30; i += 1) answers.push(await graphql(replicas[i % 3]?.url ?? '', PAGE, { offset: i }));

      const allowed = answers.filter((a) => a.status === 200);
      const refused = answers.filter((a) => a.status === 429);
      expect(allowed).toHaveLength(10);
      expect(refused).toHaveLength(20);
      expect(refused[0]?.body).toEqual({
        errors: [
          {
            message: expect.stringMatching(
              /^Too many requests from this client: at most 10 a minute\. Retry after \d+ seconds\.$/,
            ),
            extensions: { code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) },
          },
        ],
      });
      // Every replica refused some: the limit is the fleet's, not one replica's.
      expect(new Set(answers.map((a, i) => (a.status === 429 ? i % 3 : -1)).filter((r) => r >= 0)).size).toBe(3);
      for (const replica of replicas) expect(replica.stdout.join('\n')).not.toContain(redis.password);
    } finally {
      await stopAll(replicas);
    }
  });

  it("pass LlamaCloud's 429 Retry-After on: replicas 2 and 3 hold back without calling it until it passes (upstream: 429 Retry-After: 3, then fine)", async () => {
    await using upstream = await startFakeUpstream();
    let refusedOnce = false;
    upstream.respond((_req, res) => {
      if (!refusedOnce) {
        refusedOnce = true;
        sendJson(res, 429, { detail: 'Too many requests' }, { 'retry-after': '3' });
      } else sendJson(res, 200, { items: wireJobs(2), total_size: 2 });
    });
    await using redis = await startRedis();
    // No retries: each caller gets the answer at once instead of waiting the 3 s out.
    const replicas = await startFleet(upstream.url, redis.url, { UPSTREAM_MAX_RETRIES: '0' });
    try {
      const [one, two, three] = replicas.map((r) => r.url);
      const first = await graphql(one ?? '', PAGE, { offset: 0 });
      expect(first.body.errors).toEqual([
        expect.objectContaining({
          extensions: { code: 'UPSTREAM_RATE_LIMITED', upstreamStatus: 429, retryAfterSeconds: 3 },
        }),
      ]);
      const heldAt = Date.now();
      // The hold travels over a Redis channel; each replica says when it has heard it.
      const heard = (line: Record<string, unknown>) =>
        String(line.msg).startsWith('holding back an upstream route') && line.route === 'listBatchJobs';
      await Promise.all(replicas.slice(1).map((replica) => replica.waitForLog(heard)));

      const held = await Promise.all(
        [two, three, two, three].map((url, i) => graphql(url ?? '', PAGE, { offset: i + 1 })),
      );
      for (const answer of held) {
        expect(answer.body.errors).toEqual([
          expect.objectContaining({
            message: expect.stringMatching(
              /^LlamaCloud is rate limiting the gateway \(HTTP 429\)\. Retry after [1-3] seconds\.$/,
            ),
            extensions: { code: 'UPSTREAM_RATE_LIMITED', upstreamStatus: 429, retryAfterSeconds: expect.any(Number) },
          }),
        ]);
      }
      expect(upstream.requests).toHaveLength(1);

      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 3100 - (Date.now() - heldAt))));
      const after = await graphql(two ?? '', PAGE, { offset: 9 });
      expect(after.body).toEqual({ data: { batchJobs: { totalCount: 2 } } });
      expect(upstream.requests).toHaveLength(2);
    } finally {
      await stopAll(replicas);
    }
  });

  it('serve a page fetched through one replica from the shared cache on the others, and fetch it again after expiry (upstream: a page, TTL 4 s)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(200, { items: wireJobs(2), total_size: 2 });
    await using redis = await startRedis();
    // Long enough for three requests to three processes on a loaded CI machine.
    const TTL_MS = 4000;
    const replicas = await startFleet(upstream.url, redis.url, { UPSTREAM_CACHE_TTL_MS: String(TTL_MS) });
    try {
      const [one, two, three] = replicas.map((r) => r.url);
      const answers = [];
      let firstAnsweredAt = 0;
      for (const url of [one, two, three]) {
        answers.push(await graphql(url ?? '', PAGE, { offset: 0 }));
        firstAnsweredAt ||= Date.now();
      }

      expect(answers.map((a) => a.body)).toEqual(
        Array.from({ length: 3 }, () => ({ data: { batchJobs: { totalCount: 2 } } })),
      );
      expect(upstream.requests).toHaveLength(1);
      // No key of the cache holds the API key.
      const reader = new Redis(redis.url);
      const keys = await reader.keys(`${PREFIX}*`);
      expect(keys.some((key) => key.startsWith(`${PREFIX}answer:`))).toBe(true);
      expect(keys.filter((key) => key.includes(TEST_API_KEY))).toEqual([]);
      reader.disconnect();

      // The TTL is a duration, not an event: wait it out from the first answer (stored before it).
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, TTL_MS + 100 - (Date.now() - firstAnsweredAt))));
      expect((await graphql(three ?? '', PAGE, { offset: 0 })).body).toEqual({
        data: { batchJobs: { totalCount: 2 } },
      });
      expect(upstream.requests).toHaveLength(2);
    } finally {
      await stopAll(replicas);
    }
  });

  it('make one upstream call for 3 × 50 concurrent identical queries with the cache on (upstream: held 300 ms)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond(async (_req, res) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      sendJson(res, 200, { items: wireJobs(2), total_size: 2 });
    });
    await using redis = await startRedis();
    const replicas = await startFleet(upstream.url, redis.url, {
      UPSTREAM_CACHE_TTL_MS: '5000',
      RATE_LIMIT_PER_MINUTE: '0',
      // Any Redis error is a miss by design (the replica calls LlamaCloud itself), and a replica
      // starved of CPU by the rest of the suite can see a reply later than 2 s. This test is about
      // the lock, not about slow Redis (the slow-Redis test is), so a stall must not count as one.
      REDIS_COMMAND_TIMEOUT_MS: '10000',
    });
    try {
      const answers = await Promise.all(
        replicas.flatMap((replica) => Array.from({ length: 50 }, () => graphql(replica.url, PAGE, { offset: 0 }))),
      );

      expect(answers.map((a) => a.body)).toEqual(
        Array.from({ length: 150 }, () => ({ data: { batchJobs: { totalCount: 2 } } })),
      );
      // When it fails, say which way a replica went past the lock: a Redis fallback is counted.
      const fallbacks =
        upstream.requests.length === 1
          ? []
          : await Promise.all(
              replicas.map(async (replica) =>
                (await metricsOf(replica.url))
                  .split('\n')
                  .filter((line) => line.startsWith('gateway_redis_fallbacks_total')),
              ),
            );
      expect(upstream.requests, `fallbacks per replica: ${JSON.stringify(fallbacks)}`).toHaveLength(1);
    } finally {
      await stopAll(replicas);
    }
  });

  it('call LlamaCloud from another replica once the one holding the lock dies (upstream: the first call never answered)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((req, res) => {
      if (upstream.requests.indexOf(req) === 0) return; // the holder's call: never answered
      sendJson(res, 200, { items: wireJobs(2), total_size: 2 });
    });
    await using redis = await startRedis();
    // The lock lasts one upstream exchange (UPSTREAM_TIMEOUT_MS) and half a second.
    const replicas = await startFleet(upstream.url, redis.url, {
      UPSTREAM_CACHE_TTL_MS: '5000',
      UPSTREAM_TIMEOUT_MS: '1000',
    });
    try {
      const [holder, waiter] = replicas;
      void graphql(holder?.url ?? '', PAGE, { offset: 0 }).catch(() => undefined);
      await until(() => upstream.requests.length === 1);
      const waiting = graphql(waiter?.url ?? '', PAGE, { offset: 0 });
      holder?.child.kill('SIGKILL');

      expect((await waiting).body).toEqual({ data: { batchJobs: { totalCount: 2 } } });
      expect(upstream.requests).toHaveLength(2);
      // It waited for the holder's lock to expire rather than calling at once.
      const [first, second] = upstream.requests;
      expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThan(1000);
    } finally {
      await stopAll(replicas);
    }
  });

  it('poll each watched job once per interval for the whole fleet, hand polling over when the poller dies, and stop when nobody watches (upstream: a job that completes)', async () => {
    await using upstream = await startFakeUpstream();
    const job = { status: 'running', processed: 1 };
    upstream.respond((_req, res) =>
      sendJson(res, 200, {
        job: wireJob({ id: 'bjb-live', status: job.status, total_items: 10, processed_items: job.processed }),
        progress_percentage: job.processed * 10,
      }),
    );
    await using redis = await startRedis();
    const interval = 300;
    const replicas = await startFleet(upstream.url, redis.url, { LIVE_POLL_INTERVAL_MS: String(interval) });
    const subscriptions = [];
    try {
      // Two subscribers on each replica, to the same job.
      for (const replica of replicas) {
        for (let i = 0; i < 2; i += 1)
          subscriptions.push({ replica, sub: await subscribe(new URL(replica.url), LIVE, { id: 'bjb-live' }) });
      }
      for (const { sub } of subscriptions) expect(await sub.next()).toEqual(liveEvent('RUNNING', 1));
      const before = upstream.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 5 * interval)); // polls happen on a clock
      const polls = upstream.requests.length - before;
      // One poller for the fleet: about five polls in five intervals, not fifteen.
      expect(polls).toBeGreaterThanOrEqual(3);
      expect(polls).toBeLessThanOrEqual(7);

      // The replica holding the lease dies; another takes over within two intervals.
      const reader = new Redis(redis.url);
      const holderPid = (await reader.get(`${PREFIX}poll-lease:bjb-live`))?.split('-')[0];
      reader.disconnect();
      const holder = replicas.find((r) => String(r.child.pid) === holderPid);
      expect(holder).toBeDefined();
      holder?.child.kill('SIGKILL');
      job.status = 'completed';
      job.processed = 10;
      const survivors = subscriptions.filter(({ replica }) => replica !== holder);
      expect(survivors).toHaveLength(4);
      for (const { sub } of survivors) {
        expect(await sub.next(4 * interval + 2000)).toEqual(liveEvent('COMPLETED', 10));
        expect((await sub.next()).event).toBe('complete');
      }

      // Nobody watches any more: nobody polls.
      const after = upstream.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 3 * interval));
      expect(upstream.requests.length).toBe(after);
    } finally {
      for (const { sub } of subscriptions) sub.close();
      await stopAll(replicas);
    }
  });

  it('stop polling a job once its subscribers on every replica have left (upstream: a running job)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.respond((_req, res) =>
      sendJson(res, 200, {
        job: wireJob({ id: 'bjb-live', status: 'running', processed_items: 1 }),
        progress_percentage: 10,
      }),
    );
    await using redis = await startRedis();
    const interval = 200;
    const replicas = await startFleet(upstream.url, redis.url, { LIVE_POLL_INTERVAL_MS: String(interval) });
    try {
      const subs = await Promise.all(
        replicas.map((replica) => subscribe(new URL(replica.url), LIVE, { id: 'bjb-live' })),
      );
      for (const sub of subs) expect((await sub.next()).event).toBe('next');
      for (const sub of subs) sub.close();
      // The replicas see their streams close a moment later (each at its own pace on a busy
      // machine: until the last has, it may still take the lease another let go); then nobody
      // watches and nobody holds the lease.
      for (const replica of replicas) {
        for (let i = 0; i < 50; i += 1) {
          if (metricValue(await metricsOf(replica.url), 'gateway_subscriptions_active') === 0) break;
          await new Promise((resolve) => setTimeout(resolve, interval));
        }
        expect(metricValue(await metricsOf(replica.url), 'gateway_subscriptions_active')).toBe(0);
      }
      const reader = new Redis(redis.url);
      for (let i = 0; i < 50 && (await reader.exists(`${PREFIX}poll-lease:bjb-live`)) === 1; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, interval));
      }
      expect(await reader.exists(`${PREFIX}poll-lease:bjb-live`)).toBe(0);
      reader.disconnect();
      // A poll that started before the last lease went may still land (later on a busy machine):
      // count from once a whole interval passed without one.
      let after = upstream.requests.length;
      for (let i = 0; i < 10; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, interval));
        if (upstream.requests.length === after) break;
        after = upstream.requests.length;
      }
      await new Promise((resolve) => setTimeout(resolve, 4 * interval));
      expect(upstream.requests.length).toBe(after);
    } finally {
      await stopAll(replicas);
    }
  });

  it('answer promptly while Redis is slow: its commands give up after 250 ms (upstream: a page)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(200, { items: wireJobs(2), total_size: 2 });
    await using redis = await startRedis();
    const replica = await startMain({
      LLAMA_CLOUD_API_KEY: TEST_API_KEY,
      LLAMA_CLOUD_BASE_URL: upstream.url.href,
      REDIS_URL: redis.url,
    });
    try {
      await replica.waitForLog((line) => String(line.msg).startsWith('redis connected'));
      // Redis stops answering anyone for three seconds: CLIENT PAUSE answers once the pause holds
      // (a DEBUG SLEEP gives no sign of when it has begun, so a test would have to guess).
      const blocker = new Redis(redis.url);
      await blocker.call('CLIENT', 'PAUSE', '3000', 'ALL');
      const started = performance.now();
      const answer = await graphql(replica.url, PAGE, { offset: 0 });

      expect(answer.body).toEqual({ data: { batchJobs: { totalCount: 2 } } });
      expect(performance.now() - started).toBeLessThan(1500);
      blocker.disconnect();
    } finally {
      await replica[Symbol.asyncDispose]();
    }
  });

  it('keep serving when Redis dies under load (no client error, /ready 200), and share again once it is back', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(200, { items: wireJobs(2), total_size: 2 });
    await using redis = await startRedis();
    const replicas = await startFleet(upstream.url, redis.url, { RATE_LIMIT_PER_MINUTE: '100000' });
    try {
      const failures: unknown[] = [];
      let answered = 0;
      let stop = false;
      const load = Promise.all(
        replicas.map(async (replica, r) => {
          for (let i = 0; !stop && i < 2000; i += 1) {
            const res = await graphql(replica.url, PAGE, { offset: r * 2000 + i });
            if (res.status === 200 && res.body.errors === undefined) answered += 1;
            else failures.push(res);
          }
        }),
      );
      await until(() => answered >= 50);
      await redis.stop();
      const downAt = answered;
      await until(() => answered >= downAt + 100);
      for (const replica of replicas) {
        expect(metricValue(await metricsOf(replica.url), 'gateway_redis_up')).toBe(0);
        expect((await fetch(new URL('/ready', replica.url))).status).toBe(200);
      }
      await redis.restart();
      await Promise.all(
        replicas.map((replica) => replica.waitForLog((line) => line.msg === 'redis is back: shared state resumes')),
      );
      const backAt = answered;
      await until(() => answered >= backAt + 50);
      stop = true;
      await load;

      expect(failures).toEqual([]);
      // Shared again: the rate limit's counters are in the restarted (empty) Redis.
      const reader = new Redis(redis.url);
      const keys = await reader.keys(`${PREFIX}rate-limit*`);
      reader.disconnect();
      expect(keys.length).toBeGreaterThan(0);
      for (const replica of replicas) {
        const metrics = await metricsOf(replica.url);
        expect(metricValue(metrics, 'gateway_redis_up')).toBe(1);
        expect(metricValue(metrics, 'gateway_redis_fallbacks_total', { feature: 'rateLimit' })).toBeGreaterThan(0);
        const lines = replica.stdout.map((line) => JSON.parse(line) as Record<string, unknown>);
        expect(
          lines.filter((l) => l.msg === 'redis is unreachable: serving with in-process state until it is back'),
        ).toHaveLength(1);
        expect(replica.stdout.join('\n')).not.toContain(redis.password);
      }
    } finally {
      await stopAll(replicas);
    }
  });

  it('start and serve with Redis down from the start, then pick it up (upstream: a page)', async () => {
    await using upstream = await startFakeUpstream();
    upstream.replyJson(200, { items: wireJobs(2), total_size: 2 });
    await using redis = await startRedis();
    await redis.stop();
    const replica = await startMain({
      LLAMA_CLOUD_API_KEY: TEST_API_KEY,
      LLAMA_CLOUD_BASE_URL: upstream.url.href,
      REDIS_URL: redis.url,
      RATE_LIMIT_PER_MINUTE: '5',
    });
    try {
      const answers = [];
      for (let i = 0; i < 7; i += 1) answers.push((await graphql(replica.url, PAGE, { offset: i })).status);
      // Limited on its own meanwhile: the same limit, no error for Redis' absence.
      expect(answers).toEqual([200, 200, 200, 200, 200, 429, 429]);
      await redis.restart();
      await replica.waitForLog((line) => line.msg === 'redis is back: shared state resumes', 10_000);
      expect(metricValue(await metricsOf(replica.url), 'gateway_redis_up')).toBe(1);
    } finally {
      await replica[Symbol.asyncDispose]();
    }
  });
});
