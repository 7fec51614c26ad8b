/**
 * The Yoga plugins that decide who may ask, what and how much: authentication and per-client rate
 * limits (before any parsing), operation limits (graphql-armor and a limit-aware cost), trusted
 * documents, introspection and browser protections, and the closed set of error codes.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../config.js';
import { errorResponseBody, GatewayError, KNOWN_ERROR_CODES } from '../errors.js';
import type { RequestTracker } from '../request-log.js';
import { createScrubber } from '../upstream/scrub.js';
import { createAuthenticator, type Viewer } from './auth.js';
import { useCostLimit } from './cost.js';
import { useEntityChecks } from './entities.js';
import { useRequestShape } from './request-shape.js';
import { useServiceSdlGuard } from './service-sdl.js';
import { TokenBucketLimiter } from './rate-limit.js';

/** Browsers must send this header on requests that are not CORS-preflighted (GET, form posts). */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

export function securityPlugins(config: Config, tracker: RequestTracker, checks: CallerChecks): Plugin[] {
  const plugins: Plugin[] = [
    useSupportedMediaTypes(),
    useRequestShape(),
    useCallerChecks(checks, tracker),
    useCSRFPrevention({ requestHeaders: [CSRF_HEADER] }),
  ];
  const persisted = config.persistedOperations;
  if (persisted.file !== null) plugins.push(useTrustedDocuments(persisted.file, persisted.allowArbitrary));
  if (config.production) plugins.push(useServiceSdlGuard(config.serviceSdl, config.limits.maxTokens, tracker));
  // Armor's errors carry no code: they are validation errors (the token limit: a parse error).
  const coded = (code: string) => ({
    onReject: [(_context: unknown, error: GraphQLError) => void Object.assign(error.extensions, { code })],
  });
  const armor = new EnvelopArmor({
    maxDepth: { n: config.limits.maxDepth, ...coded('GRAPHQL_VALIDATION_FAILED') },
    maxAliases: { n: config.limits.maxAliases, ...coded('GRAPHQL_VALIDATION_FAILED') },
    maxDirectives: { n: config.limits.maxDirectives, ...coded('GRAPHQL_VALIDATION_FAILED') },
    maxTokens: { n: config.limits.maxTokens, ...coded('GRAPHQL_PARSE_FAILED') },
    // Armor's cost ignores arguments; useCostLimit below scales lists by their limit.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: config.production },
  });
  // Armor speaks plain envelop plugins; Yoga runs them as they are.
  plugins.push(
    ...(armor.protect().plugins as Plugin[]),
    useEntityChecks(config.limits.maxEntityRepresentations),
    useCostLimit(config.limits.maxCost),
  );
  if (config.production) plugins.push(useDisableIntrospection());
  plugins.push(useSecurityHeaders(), useClosedErrorCodes(config.production, config.upstream.apiKey));
  return plugins;
}

/** Body types Yoga can read; anything else gets a coded 415 instead of Yoga's empty one. */
const READABLE_BODIES = new Set([
  'application/json',
  'application/graphql+json',
  'application/graphql-response+json',
  'application/graphql',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
]);

function useSupportedMediaTypes(): Plugin {
  return {
    onRequestParse({ request, endResponse, fetchAPI }) {
      if (request.method !== 'POST') return;
      const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (READABLE_BODIES.has(type)) return;
      endResponse(
        new fetchAPI.Response(
          errorResponseBody(
            `Send the request body as application/json (got ${JSON.stringify(type || 'no content type')}).`,
            'BAD_REQUEST',
          ),
          { status: 415, headers: { 'content-type': 'application/json; charset=utf-8' } },
        ),
      );
    },
  };
}

/** The request fields the caller checks read, from a Fetch `Request` or a Node `IncomingMessage`. */
export interface CallerOf {
  /** A request header's value, or null when absent. */
  header: (name: string) => string | null;
  /** The TCP peer's address. */
  remoteAddress: string | undefined;
}

/**
 * Authentication, then the caller's rate limit: what every request passes on its own, whether Yoga
 * runs it or it shares an identical request's response (see response-sharing.ts). Each throws the
 * GraphQL error to answer with.
 */
export interface CallerChecks {
  /** Who is calling. */
  authenticate(caller: CallerOf): Promise<Viewer>;
  /** Takes one request from the caller's rate limit. */
  limit(viewer: Viewer, caller: CallerOf): void;
}

export function createCallerChecks(config: Config): CallerChecks {
  const authenticate = createAuthenticator(config.auth);
  const limiter =
    config.limits.rateLimitPerMinute > 0 ? new TokenBucketLimiter(config.limits.rateLimitPerMinute) : null;
  return {
    authenticate: (caller) => authenticate(caller.header('authorization')),
    limit(viewer, caller) {
      if (!limiter) return;
      const client = viewer.subject ? `sub:${viewer.subject}` : `ip:${clientAddress(caller, config.server.trustProxy)}`;
      const waitSeconds = limiter.take(client);
      if (waitSeconds > 0) {
        throw new GatewayError(
          'RATE_LIMITED',
          `Too many requests from this client: at most ${config.limits.rateLimitPerMinute} a minute. Retry after ${waitSeconds} seconds.`,
          {
            retryAfterSeconds: waitSeconds,
            http: { status: 429, headers: { 'retry-after': String(waitSeconds) } },
          },
        );
      }
    },
  };
}

/** Runs the caller checks before the request is parsed or executed. */
function useCallerChecks(checks: CallerChecks, tracker: RequestTracker): Plugin {
  return {
    async onParams({ request, context }) {
      const req = (context as { req?: IncomingMessage } | undefined)?.req;
      const caller: CallerOf = {
        header: (name) => request.headers.get(name),
        remoteAddress: req?.socket.remoteAddress,
      };
      const viewer = await checks.authenticate(caller);
      tracker.state(request).viewer = viewer;
      checks.limit(viewer, caller);
    },
  };
}

function clientAddress(caller: CallerOf, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = caller.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return caller.remoteAddress ?? 'unknown';
}

/** Trusted documents: a manifest of hash → operation; optionally nothing else runs. */
function useTrustedDocuments(file: string, allowArbitrary: boolean): Plugin {
  const manifest = loadManifest(file);
  const error = (code: string, message: string, status: number) => () =>
    new GraphQLError(message, { extensions: { code, http: { status } } });
  return usePersistedOperations({
    allowArbitraryOperations: allowArbitrary,
    extractPersistedOperationId: (params) => {
      const body = params as { extensions?: { persistedQuery?: { sha256Hash?: unknown } }; documentId?: unknown };
      const hash = body.extensions?.persistedQuery?.sha256Hash ?? body.documentId;
      return typeof hash === 'string' ? hash.replace(/^sha256:/, '') : null;
    },
    getPersistedOperation: (hash) => manifest.get(hash) ?? null,
    customErrors: {
      notFound: error(
        'PERSISTED_QUERY_NOT_FOUND',
        "This operation is not in the gateway's list of trusted operations. Regenerate the client's operations and the manifest together.",
        400,
      ),
      keyNotFound: error(
        'BAD_REQUEST',
        'Send a query, or a trusted operation id in extensions.persistedQuery.sha256Hash.',
        400,
      ),
      persistedQueryOnly: error(
        'PERSISTED_QUERY_ONLY',
        'This gateway runs trusted operations only: send extensions.persistedQuery.sha256Hash instead of the query text.',
        400,
      ),
    },
  });
}

/** Reads a `{ "<sha256>": "<operation>" }` manifest (the client preset's persisted-documents.json). */
export function loadManifest(file: string): Map<string, string> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file} must be a JSON object of hash → operation`);
  }
  const manifest = new Map<string, string>();
  for (const [hash, operation] of Object.entries(parsed)) {
    if (typeof operation === 'string') manifest.set(hash.replace(/^sha256:/, ''), operation);
  }
  return manifest;
}

const SECURITY_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['x-content-type-options', 'nosniff'],
  ['referrer-policy', 'no-referrer'],
  ['x-frame-options', 'DENY'],
  ['cross-origin-opener-policy', 'same-origin'],
  ['strict-transport-security', 'max-age=31536000; includeSubDomains'],
  ['permissions-policy', 'camera=(), microphone=(), geolocation=()'],
];

/** The usual security headers on every response; a locked-down CSP on everything but pages. */
function useSecurityHeaders(): Plugin {
  return {
    onResponse({ response }) {
      for (const [name, value] of SECURITY_HEADERS) response.headers.set(name, value);
      if (!response.headers.get('content-type')?.includes('text/html')) {
        response.headers.set('content-security-policy', "default-src 'none'; frame-ancestors 'none'");
      }
    },
  };
}

/** Yoga's code for a document whose operation to run cannot be told (several, or none by that name). */
const OPERATION_RESOLUTION_FAILURE = 'OPERATION_RESOLUTION_FAILURE';
const NO_OPERATION_CHOSEN =
  'Could not tell which operation to run: the document holds several operations (send operationName with the name of one), or none named as operationName says (send the name of an operation in the document).';

/** The extensions a client may see in production; Yoga's `originalError` and the like are dropped. */
const PUBLIC_EXTENSIONS = new Set(['code', 'upstreamStatus', 'retryAfterSeconds', 'argument', 'http']);

/**
 * Every error a client sees carries a code from the closed set: errors Yoga raises without one
 * (an unreadable body, a wrong method) become BAD_REQUEST, and an unknown code is masked. In
 * production, extensions beyond the documented ones are removed.
 */
function useClosedErrorCodes(production: boolean, upstreamKey: string | null): Plugin {
  // The upstream client scrubs what it passes on; this is the last look before a client sees it.
  const scrub = createScrubber(upstreamKey ?? '').text;
  return {
    onResultProcess({ result }) {
      for (const item of Array.isArray(result) ? result : [result]) {
        const errors =
          (item as { errors?: ReadonlyArray<{ message?: unknown; extensions?: Record<string, unknown> }> }).errors ??
          [];
        for (const error of errors) {
          if (typeof error !== 'object') continue;
          if (typeof error.message === 'string') error.message = scrub(error.message);
          if (!error.extensions) continue;
          for (const [key, value] of Object.entries(error.extensions)) {
            if (typeof value === 'string') error.extensions[key] = scrub(value);
          }
          const code = error.extensions.code;
          if (code === OPERATION_RESOLUTION_FAILURE) {
            // Yoga's wording says what went wrong but not what to send instead.
            error.extensions.code = 'BAD_REQUEST';
            error.message = NO_OPERATION_CHOSEN;
          } else if (code === undefined) error.extensions.code = 'BAD_REQUEST';
          else if (typeof code !== 'string' || !KNOWN_ERROR_CODES.has(code))
            error.extensions.code = 'INTERNAL_SERVER_ERROR';
          if (production) {
            for (const key of Object.keys(error.extensions)) {
              if (!PUBLIC_EXTENSIONS.has(key)) Reflect.deleteProperty(error.extensions, key);
            }
            // Yoga picks a request error's 4xx status from its originalError; keep that status.
            const http = error.extensions.http;
            if (typeof http === 'object' && http !== null) error.extensions.http = { ...http, spec: false };
          }
        }
      }
    },
  };
}
