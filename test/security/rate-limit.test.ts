import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from '../../src/security/rate-limit.js';
import { startFakeUpstream } from '../support/fake-upstream.js';
import { startGateway } from '../support/gateway.js';
import { hs256Token } from '../support/tokens.js';

describe('rate limiting per client', () => {
  it('answers 429 RATE_LIMITED with retryAfterSeconds once a client has used its minute (by IP)', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: { RATE_LIMIT_PER_MINUTE: '3' } });

    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await gateway.query('{ __typename }')).status);
    const limited = await gateway.query('{ batchJobs { totalCount } }');

    expect(statuses).toEqual([200, 200, 200]);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('20');
    expect(limited.body).toEqual({
      errors: [
        {
          message: 'Too many requests from this client: at most 3 a minute. Retry after 20 seconds.',
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 20 },
        },
      ],
    });
    expect(upstream.requests).toHaveLength(0);
  });

  it('counts JWT subjects apart', async () => {
    const secret = 'rate-limit-secret-at-least-32-characters';
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { RATE_LIMIT_PER_MINUTE: '1', AUTH_MODE: 'jwt', JWT_SECRET: secret },
    });
    const as = async (sub: string) =>
      (await gateway.query('{ __typename }', undefined, { authorization: `Bearer ${await hs256Token(secret, sub)}` }))
        .status;

    expect([await as('alice'), await as('bob'), await as('alice')]).toEqual([200, 200, 429]);
  });

  it('refills continuously', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(60, () => now);
    expect([limiter.take('a'), ...Array.from({ length: 59 }, () => limiter.take('a'))].every((w) => w === 0)).toBe(
      true,
    );
    expect(limiter.take('a')).toBe(1);
    now += 1000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('b')).toBe(0);
  });
});
