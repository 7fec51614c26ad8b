/**
 * Who may call the gateway, from AUTH_MODE and the JWT_* variables: no check at all (on purpose,
 * and said so in production), or JSON Web Tokens checked against a JWKS or a shared HS256 secret.
 */
import type { EnvReader } from './env-reader.js';

export type AuthConfig =
  | { mode: 'none' }
  | {
      mode: 'jwt';
      /** Where the signing keys are published (asymmetric algorithms), or null. */
      jwksUrl: URL | null;
      /** The shared HS256 secret, or null. */
      secret: string | null;
      issuer: string | null;
      audience: string | null;
      /** Accepted signature algorithms; `none` is never among them. */
      algorithms: string[];
      /** The scope (in `scope`/`scp`) or role (in `roles`) a caller needs to cancel jobs. */
      cancelScope: string;
      /** The scope or role createBatchJob needs (JWT_CREATE_SCOPE). */
      createScope: string;
    };

const DEFAULT_ASYMMETRIC_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];
const ALLOWED_ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];

/** The authentication settings; problems go into `problems` (AUTH_MODE unset in production is one). */
export function readAuth(read: EnvReader, problems: string[], production: boolean): AuthConfig {
  const mode = read.isSet('AUTH_MODE') ? read.oneOf('AUTH_MODE', ['none', 'jwt'] as const, 'none') : null;
  if (mode === null && production) {
    problems.push(
      'AUTH_MODE must be set when NODE_ENV=production: "jwt", or "none" to accept every caller on purpose.',
    );
  }
  if (mode !== 'jwt') return { mode: 'none' };
  const jwksUrl = read.isSet('JWT_JWKS_URL')
    ? read.url('JWT_JWKS_URL', 'https://invalid.example', 'https://auth.example.com/.well-known/jwks.json')
    : null;
  const secret = read.secret('JWT_SECRET', 32);
  if ((jwksUrl === null) === (secret === null)) {
    problems.push('AUTH_MODE=jwt needs exactly one of JWT_JWKS_URL (asymmetric keys) or JWT_SECRET (HS256).');
  }
  const algorithms = read.list('JWT_ALGORITHMS');
  const chosen = algorithms.length > 0 ? algorithms : secret !== null ? ['HS256'] : DEFAULT_ASYMMETRIC_ALGORITHMS;
  for (const alg of chosen) {
    if (!ALLOWED_ALGORITHMS.includes(alg)) {
      problems.push(`JWT_ALGORITHMS may hold only ${ALLOWED_ALGORITHMS.join(', ')}; got ${JSON.stringify(alg)}.`);
    }
  }
  return {
    mode: 'jwt',
    jwksUrl,
    secret,
    issuer: read.optionalString('JWT_ISSUER'),
    audience: read.optionalString('JWT_AUDIENCE'),
    algorithms: chosen,
    cancelScope: read.string('JWT_CANCEL_SCOPE', 'batch-jobs:cancel'),
    createScope: read.string('JWT_CREATE_SCOPE', 'batch-jobs:create'),
  };
}
