import { describe, expect, it } from 'vitest';
import { startFakeUpstream } from '../support/fake-upstream.js';
import { startGateway } from '../support/gateway.js';

describe('browser protections', () => {
  it('allows CORS only from CORS_ORIGINS', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { CORS_ORIGINS: 'https://app.example.com' },
    });
    const preflight = (origin: string) =>
      gateway.fetch('/graphql', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });

    const allowed = await preflight('https://app.example.com');
    const denied = await preflight('https://evil.example.com');

    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(denied.headers.get('access-control-allow-origin')).not.toBe('https://evil.example.com');
  });

  it('sends no CORS headers at all without CORS_ORIGINS', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = await gateway.query('{ __typename }', undefined, { origin: 'https://evil.example.com' });

    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it.each(['/graphql', '/health', '/metrics'])('sends the security headers on %s', async (path) => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url });

    const res = path === '/graphql' ? await gateway.query('{ __typename }') : await gateway.fetch(path);

    expect(Object.fromEntries([...res.headers].filter(([name]) => SECURITY.includes(name)))).toEqual({
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'permissions-policy': 'camera=(), microphone=(), geolocation=()',
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    });
  });
});

const SECURITY = [
  'x-content-type-options',
  'referrer-policy',
  'x-frame-options',
  'cross-origin-opener-policy',
  'strict-transport-security',
  'permissions-policy',
  'content-security-policy',
];
