/**
 * HS256 JWTs for tests that run the gateway with AUTH_MODE=jwt and JWT_SECRET.
 */
import { SignJWT } from 'jose';

/** A token signed with `secret`, valid for five minutes, for subject `sub` plus any `claims`. */
export function hs256Token(secret: string, sub: string, claims: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ sub, ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret));
}
