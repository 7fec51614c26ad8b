import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { describe, expect, it } from 'vitest';
import { startFakeUpstream } from '../support/fake-upstream.js';
import { startGateway } from '../support/gateway.js';

const SECRET = 'test-secret-that-is-at-least-32-characters';
const ISSUER = 'https://issuer.test/';
const AUDIENCE = 'batch-gateway';
const JWT_ENV = { AUTH_MODE: 'jwt', JWT_SECRET: SECRET, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE };
const QUERY = '{ batchJobs { totalCount } }';

async function hs256(claims: JWTPayload = {}, options: { expiresIn?: string | number; secret?: string } = {}) {
  return new SignJWT({ sub: 'user-1', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(new TextEncoder().encode(options.secret ?? SECRET));
}

/** An unsigned token (`alg: none`), as an attacker would craft it. */
function unsigned(payload: JWTPayload): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}

function unauthenticated(message: string) {
  return { errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] };
}

describe('AUTH_MODE=jwt with a shared HS256 secret', () => {
  it('lets a valid token through and logs its subject (upstream: empty list)', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: JWT_ENV });

    const res = await gateway.query(QUERY, undefined, { authorization: `Bearer ${await hs256()}` });

    expect(res.body).toEqual({ data: { batchJobs: { totalCount: 0 } } });
    expect(gateway.logs.find((l) => l.msg === 'request')).toMatchObject({ subject: 'user-1' });
    // The caller's token is not the upstream's credential.
    expect(upstream.requests[0]?.headers.authorization).not.toContain('user-1');
  });

  it('takes a token it verified at its word only until it expires: the same token is refused after (upstream: empty list)', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: JWT_ENV });
    const token = await hs256({}, { expiresIn: Math.floor(Date.now() / 1000) + 1 });

    const first = await gateway.query(QUERY, undefined, { authorization: `Bearer ${token}` });
    const again = await gateway.query(QUERY, undefined, { authorization: `Bearer ${token}` });
    // Past its expiry and the 5 s clock leeway jose allows.
    await new Promise((resolve) => setTimeout(resolve, 7000));
    const expired = await gateway.query(QUERY, undefined, { authorization: `Bearer ${token}` });

    expect([first.status, again.status]).toEqual([200, 200]);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual(unauthenticated('The token has expired: get a new one.'));
    expect(upstream.requests).toHaveLength(2);
  });

  const now = Math.floor(Date.now() / 1000);
  it.each([
    ['no Authorization header', () => Promise.resolve(undefined), 'Send an Authorization: Bearer <JWT> header.'],
    ['a Basic header', () => Promise.resolve('Basic dXNlcjpwdw=='), 'The Authorization header is not "Bearer <JWT>".'],
    ['garbage', () => Promise.resolve('Bearer not-a-jwt'), 'The Authorization header is not "Bearer <JWT>".'],
    [
      'an expired token',
      () => hs256({}, { expiresIn: now - 60 }).then((t) => `Bearer ${t}`),
      'The token has expired: get a new one.',
    ],
    [
      'a token for another audience',
      () =>
        new SignJWT({ sub: 'u' })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(ISSUER)
          .setAudience('someone-else')
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(SECRET))
          .then((t) => `Bearer ${t}`),
      'The token\'s "aud" claim is not what this gateway accepts.',
    ],
    [
      'a token from another issuer',
      () =>
        new SignJWT({ sub: 'u' })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer('https://evil.test/')
          .setAudience(AUDIENCE)
          .setExpirationTime('5m')
          .sign(new TextEncoder().encode(SECRET))
          .then((t) => `Bearer ${t}`),
      'The token\'s "iss" claim is not what this gateway accepts.',
    ],
    [
      'a token signed with another secret',
      () => hs256({}, { secret: 'another-secret-that-is-also-32-chars-long' }).then((t) => `Bearer ${t}`),
      'The token signature is not valid.',
    ],
    [
      'an alg: none token',
      () => Promise.resolve(`Bearer ${unsigned({ sub: 'admin', iss: ISSUER, aud: AUDIENCE, exp: now + 300 })}`),
      'The token is signed with an algorithm this gateway does not accept.',
    ],
  ])('refuses %s with 401 UNAUTHENTICATED and no upstream call', async (_name, header, message) => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({ upstreamUrl: upstream.url, env: JWT_ENV });
    const authorization = await header();

    const res = await gateway.query(QUERY, undefined, authorization ? { authorization } : {});

    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.body).toEqual(unauthenticated(message));
    expect(upstream.requests).toHaveLength(0);
  });
});

describe('federation fields under AUTH_MODE=jwt', () => {
  it('keeps _service behind auth, and in production for the router alone: 401 without a token, 403 without JWT_SERVICE_SDL_SCOPE, the SDL with it', async () => {
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { ...JWT_ENV, NODE_ENV: 'production', JWT_SERVICE_SDL_SCOPE: 'graph:sdl' },
    });

    const anonymous = await gateway.query('{ _service { sdl } }');
    const user = await gateway.query('{ _service { sdl } }', undefined, {
      authorization: `Bearer ${await hs256({ sub: 'user-1' })}`,
    });
    const router = await gateway.query('{ _service { sdl } }', undefined, {
      authorization: `Bearer ${await hs256({ sub: 'router', scope: 'graph:sdl' })}`,
    });

    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual(unauthenticated('Send an Authorization: Bearer <JWT> header.'));
    expect(user.status).toBe(403);
    expect(user.body.errors[0].extensions).toEqual({ code: 'FORBIDDEN' });
    expect(router.body.data._service.sdl).toContain('@key(fields: "id")');
  });
});

describe('AUTH_MODE=jwt with a JWKS URL', () => {
  async function jwksServer() {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    return { url, privateKey, close, [Symbol.asyncDispose]: close };
  }

  it('accepts an RS256 token signed by a published key, and refuses an HS256 token made with the public key', async () => {
    await using jwks = await jwksServer();
    await using upstream = await startFakeUpstream();
    await using gateway = await startGateway({
      upstreamUrl: upstream.url,
      env: { AUTH_MODE: 'jwt', JWT_JWKS_URL: jwks.url, JWT_AUDIENCE: AUDIENCE },
    });
    const good = await new SignJWT({ sub: 'svc' })
      .setProtectedHeader({ alg: 'RS256', kid: 'key-1' })
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(jwks.privateKey);
    // Algorithm confusion: an HS256 token "signed" with a guessable secret must not pass.
    const confused = await new SignJWT({ sub: 'svc' })
      .setProtectedHeader({ alg: 'HS256', kid: 'key-1' })
      .setAudience(AUDIENCE)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('x'.repeat(32)));

    const ok = await gateway.query(QUERY, undefined, { authorization: `Bearer ${good}` });
    const refused = await gateway.query(QUERY, undefined, { authorization: `Bearer ${confused}` });

    expect(ok.body).toEqual({ data: { batchJobs: { totalCount: 0 } } });
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(
      unauthenticated('The token is signed with an algorithm this gateway does not accept.'),
    );
    expect(upstream.requests).toHaveLength(1);
  });
});
