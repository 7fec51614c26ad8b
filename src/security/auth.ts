/**
 * Client authentication (AUTH_MODE=jwt): a `Bearer` JWT verified with jose against a JWKS URL or
 * a shared HS256 secret, checking issuer, audience (when set) and expiry. `alg: none` and any
 * algorithm not configured are refused by jose itself. A failure is HTTP 401 with code
 * UNAUTHENTICATED, raised before execution, so no upstream call is made.
 */
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';
import type { AuthConfig } from '../config/auth.js';
import { GatewayError } from '../errors.js';
import { ANONYMOUS, type Viewer } from '../request-state.js';

/**
 * Checks a request's Authorization header (null when absent). Answers at once when it can (no
 * authentication, a token verified before): a promise only while a signature is being checked.
 */
export type Authenticator = (authorization: string | null) => Viewer | Promise<Viewer>;

/** Leeway for clocks that disagree a little, in seconds. */
const CLOCK_TOLERANCE_S = 5;
/**
 * How long a verified token is taken at its word without checking its signature again, at most
 * (never past its expiry): a key withdrawn from the JWKS stops being honoured within this.
 */
const VERIFIED_FOR_MS = 60_000;
/** Most verified tokens remembered (a few MB): one per active frontend session. */
const VERIFIED_MAX = 10_000;

export function createAuthenticator(auth: AuthConfig): Authenticator {
  if (auth.mode === 'none') return () => ANONYMOUS;
  const key: Uint8Array | JWTVerifyGetKey = auth.secret
    ? new TextEncoder().encode(auth.secret)
    : createRemoteJWKSet(auth.jwksUrl ?? new URL('https://invalid.example'), { timeoutDuration: 5000 });
  const options = {
    algorithms: auth.algorithms,
    clockTolerance: CLOCK_TOLERANCE_S,
    ...(auth.issuer ? { issuer: auth.issuer } : {}),
    ...(auth.audience ? { audience: auth.audience } : {}),
  };

  // A frontend sends one token for its whole life: its signature is checked once, not on every
  // request (that check was most of what AUTH_MODE=jwt cost a request). Only verified tokens are
  // remembered; a wrong one is checked (and refused) every time.
  const verified = new LRUCache<string, { viewer: Viewer; until: number }>({ max: VERIFIED_MAX });

  const verify = async (token: string): Promise<Viewer> => {
    let payload: JWTPayload;
    try {
      // jose's overloads differ for a key and a key getter; both are valid here.
      ({ payload } =
        key instanceof Uint8Array ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options));
    } catch (error) {
      verified.delete(token);
      throw unauthenticated(describeJoseError(error));
    }
    const viewer: Viewer = { subject: typeof payload.sub === 'string' ? payload.sub : null, grants: grantsOf(payload) };
    // Until it expires, as jose counts it (with the clock leeway), and no longer than VERIFIED_FOR_MS.
    const expires = typeof payload.exp === 'number' ? (payload.exp + CLOCK_TOLERANCE_S) * 1000 : Infinity;
    verified.set(token, { viewer, until: Math.min(expires, Date.now() + VERIFIED_FOR_MS) });
    return viewer;
  };

  return (header) => {
    const match = header ? /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)\s*$/i.exec(header) : null;
    const token = match?.[1];
    if (!token) {
      throw unauthenticated(
        header ? 'The Authorization header is not "Bearer <JWT>".' : 'Send an Authorization: Bearer <JWT> header.',
      );
    }
    const known = verified.get(token);
    if (known && known.until > Date.now()) return known.viewer;
    return verify(token);
  };
}

function grantsOf(payload: JWTPayload): Set<string> {
  const grants = new Set<string>();
  for (const claim of [payload.scope, payload.scp, payload.roles]) {
    if (typeof claim === 'string') for (const g of claim.split(/\s+/)) if (g) grants.add(g);
    if (Array.isArray(claim)) for (const g of claim) if (typeof g === 'string') grants.add(g);
  }
  return grants;
}

/** jose's stable error codes, told in words a client developer can act on; no token echoed. */
function describeJoseError(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const claim = typeof error === 'object' && error !== null && 'claim' in error ? String(error.claim) : '';
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'The token has expired: get a new one.';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `The token's "${claim}" claim is not what this gateway accepts.`;
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'The token is signed with an algorithm this gateway does not accept.';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'The token signature is not valid.';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'The token was signed by a key this gateway does not know.';
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JOSE_GENERIC':
      return 'The token could not be checked right now; try again.';
    default:
      return 'The token is not a valid JWT.';
  }
}

function unauthenticated(message: string): GatewayError {
  return new GatewayError('UNAUTHENTICATED', message, {
    http: { status: 401, headers: { 'www-authenticate': 'Bearer' } },
  });
}
