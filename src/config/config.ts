/**
 * All configuration, read from the environment once at boot into one typed object. Nothing else in
 * the gateway reads `process.env`. Every problem is collected, so one failed start lists them all.
 */
import { readFileSync } from 'node:fs';
import type { Level } from 'pino';
import { readAuth, type AuthConfig } from './auth.js';
import { EnvReader, type Env } from './env-reader.js';

export interface Config {
  /** `production` turns off GraphiQL, introspection and field suggestions. */
  production: boolean;
  server: {
    host: string;
    port: number;
    /** Allowed browser origins for CORS; empty means same-origin only. */
    corsOrigins: string[];
    /** Trust the first X-Forwarded-For address as the client's (behind a proxy you run). */
    trustProxy: boolean;
    /** Most client connections open at once; more are closed on arrival. */
    maxConnections: number;
    /** Most connections open at once from one peer address; 0 turns the cap off. */
    maxConnectionsPerIp: number;
    /** Time a client has to send its request headers, in milliseconds. */
    headersTimeoutMs: number;
    /** Time a client has to send its whole request, body included, in milliseconds. */
    requestTimeoutMs: number;
    /** How long an idle keep-alive connection stays open, in milliseconds. */
    keepAliveTimeoutMs: number;
    /** On SIGTERM, how long requests in flight may take to finish before their connections are cut. */
    shutdownGraceMs: number;
  };
  auth: AuthConfig;
  /** Sent on every upstream call when set; a client filter naming another one is FORBIDDEN. */
  tenant: { projectId: string | null; organizationId: string | null };
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxDirectives: number;
    maxTokens: number;
    maxCost: number;
    maxBodyBytes: number;
    /** Requests per minute per client (JWT subject, else IP); 0 turns rate limiting off. */
    rateLimitPerMinute: number;
    /** Most `_entities` representations one request may ask for. */
    maxEntityRepresentations: number;
  };
  /** Who may read the subgraph SDL (`_service { sdl }`) in production; anyone outside it. */
  serviceSdl: {
    /** A caller sending this in the SERVICE_SDL_HEADER header may read it; null: nobody by header. */
    secret: string | null;
    /** Under AUTH_MODE=jwt, a caller with this scope or role may read it; null: nobody by scope. */
    scope: string | null;
  };
  persistedOperations: {
    /** Manifest of hash → operation text, or null. */
    file: string | null;
    /** False: only operations in the manifest run. */
    allowArbitrary: boolean;
  };
  upstream: {
    /** LlamaCloud's base URL (in demo mode, replaced by the embedded demo upstream's). */
    baseUrl: URL;
    /** The LlamaCloud key; null means demo mode. */
    apiKey: string | null;
    /**
     * Which generation of LlamaCloud's batch API to call (LLAMA_CLOUD_BATCH_API): `v1`, the beta
     * `/api/v1/beta/batch-processing`, or `v2`, `/api/v2/batches`. One GraphQL API serves both.
     */
    batchApi: BatchApi;
    timeoutMs: number;
    maxConnections: number;
    /** Most by-id upstream calls one GraphQL request runs at once (entity batches). */
    maxConcurrency: number;
    /** Most upstream requests waiting for a connection before new ones fail fast. */
    maxQueue: number;
    /** Retries of an idempotent GET (408, 429, 502, 503, 504, connection errors). */
    maxRetries: number;
    /** First retry delay before jitter; doubles with each attempt. */
    retryBaseDelayMs: number;
    /** Identical GETs within this many ms are served from memory; 0 turns the cache off. */
    cacheTtlMs: number;
    /** Most bytes the micro-cache keeps, upstream answers, query results and responses together. */
    cacheMaxBytes: number;
    /** Largest upstream answer read, in bytes; a larger one is UPSTREAM_BAD_RESPONSE. */
    maxResponseBytes: number;
  };
  /** Identical queries in flight at the same moment (same caller) share one execution. */
  shareIdenticalQueries: boolean;
  /** Runs of a query operation after which it is compiled (graphql-jit); 0 never compiles. */
  compileQueriesAfter: number;
  /** Known query documents sent again are answered past Yoga (sharing/fast-path.ts). */
  fastPath: boolean;
  live: {
    /** How often a watched job is polled, however many subscribers watch it. */
    pollIntervalMs: number;
    /** The pollers' interval while signed webhooks push changes (a safety net only). */
    pollIntervalWithWebhooksMs: number;
  };
  /** Serve the dashboard at / (always outside production; in production only when true). */
  dashboard: boolean;
  /** The overall budget of one GraphQL request; upstream timeouts and retries stay within it. */
  requestDeadlineMs: number;
  breaker: {
    /** Share of failed upstream calls (0 to 1) in the window at or above which the circuit opens. */
    failureRatio: number;
    /** Calls the window must hold before its failure ratio counts. */
    minimumCalls: number;
    /** Length of the sliding window of calls, in milliseconds. */
    windowMs: number;
    /** How long an open circuit fails fast before its trial calls. */
    cooldownMs: number;
    /** Trial calls admitted at once after the cooldown. */
    halfOpenCalls: number;
  };
  log: {
    level: Level;
  };
  /** LlamaCloud's signed batch webhooks (POST /webhooks/llamacloud); off without a secret. */
  webhooks: { secret: string | null };
  /** Shared state of a fleet of replicas; without a URL every replica keeps its own. */
  redis: {
    /** The shared Redis (password and database in the URL), or null. */
    url: URL | null;
    /** Prefix of every key and channel, so several deployments can share one Redis. */
    keyPrefix: string;
    /** How long a command may take before the feature falls back to in-process state. */
    commandTimeoutMs: number;
  };
  /**
   * OpenTelemetry traces. The SDK reads its own OTEL_* variables (exporter, sampler, service
   * name); this says whether it runs at all and whether callers' trace headers are trusted.
   */
  tracing: {
    /** An OTLP endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT or its _TRACES_ form) and the SDK not disabled. */
    enabled: boolean;
    /** Continue a caller's `traceparent` (TRUST_TRACE_HEADERS); off: every request starts a trace. */
    trustTraceHeaders: boolean;
  };
  /** True when no API key is configured: the gateway serves an embedded demo upstream. */
  demo: boolean;
}

/** The generations of LlamaCloud's batch API the gateway speaks. */
export const BATCH_APIS = ['v1', 'v2'] as const;
export type BatchApi = (typeof BATCH_APIS)[number];

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_BASE_URL = 'https://api.cloud.llamaindex.ai';
/** Shortest upstream key accepted (LlamaCloud's are `llx-` and some 48 characters). */
const MIN_API_KEY_LENGTH = 8;
const LOG_LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/** Parses the environment. Throws a ConfigError listing every problem at once. */
export function parseConfig(env: Env): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  // The key is scrubbed from every upstream answer before it reaches a client: a key of a few
  // characters would match ordinary words and field names and rewrite the answers themselves.
  const apiKey = read.secret('LLAMA_CLOUD_API_KEY', MIN_API_KEY_LENGTH);
  const baseUrlSet = read.isSet('LLAMA_CLOUD_BASE_URL');
  const baseUrl = read.url('LLAMA_CLOUD_BASE_URL', DEFAULT_BASE_URL);
  if (apiKey === null && baseUrlSet) {
    problems.push(
      'LLAMA_CLOUD_BASE_URL is set but LLAMA_CLOUD_API_KEY is not: set the key too, or unset both to run in demo mode.',
    );
  }

  if (read.isSet('BREAKER_THRESHOLD')) {
    problems.push(
      'BREAKER_THRESHOLD is gone: the circuit now opens on a failure ratio. Set BREAKER_FAILURE_PERCENT and BREAKER_MIN_CALLS instead.',
    );
  }
  const serviceSdlSecret = read.secret('SERVICE_SDL_SECRET', 32);

  const production = read.oneOf('NODE_ENV', ['production', 'development', 'test'], 'development') === 'production';
  const auth = readAuth(read, problems, production);
  const persistedFile = read.isSet('PERSISTED_OPERATIONS_FILE') ? read.string('PERSISTED_OPERATIONS_FILE', '') : null;
  if (persistedFile !== null) {
    const problem = manifestProblem(persistedFile);
    if (problem) problems.push(`PERSISTED_OPERATIONS_FILE ${problem}`);
  }
  const allowArbitrary = read.boolean('ALLOW_ARBITRARY_OPERATIONS', true);
  if (!allowArbitrary && persistedFile === null) {
    problems.push(
      'ALLOW_ARBITRARY_OPERATIONS=false needs PERSISTED_OPERATIONS_FILE: without a manifest nothing could run.',
    );
  }
  if (production && apiKey === null) {
    problems.push(
      'LLAMA_CLOUD_API_KEY is required when NODE_ENV=production (demo mode is for trying the gateway out).',
    );
  }

  const config: Config = {
    production,
    server: {
      host: read.string('HOST', '0.0.0.0'),
      port: read.integer('PORT', 4000, 0, 65535),
      corsOrigins: read.list('CORS_ORIGINS'),
      trustProxy: read.boolean('TRUST_PROXY', false),
      maxConnections: read.integer('MAX_CONNECTIONS', 10_000, 1, 1_000_000),
      maxConnectionsPerIp: read.integer('MAX_CONNECTIONS_PER_IP', 256, 0, 1_000_000),
      headersTimeoutMs: read.integer('HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
      requestTimeoutMs: read.integer('REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
      keepAliveTimeoutMs: read.integer('KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
      shutdownGraceMs: read.integer('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    },
    auth,
    tenant: {
      projectId: read.optionalString('LLAMA_CLOUD_PROJECT_ID'),
      organizationId: read.optionalString('LLAMA_CLOUD_ORGANIZATION_ID'),
    },
    limits: {
      maxDepth: read.integer('MAX_DEPTH', 10, 1, 100),
      maxAliases: read.integer('MAX_ALIASES', 15, 0, 1000),
      maxDirectives: read.integer('MAX_DIRECTIVES', 20, 0, 1000),
      maxTokens: read.integer('MAX_TOKENS', 2000, 10, 1_000_000),
      maxCost: read.integer('MAX_COST', 50_000, 1, 100_000_000),
      maxBodyBytes: read.integer('MAX_BODY_BYTES', 100_000, 100, 100_000_000),
      rateLimitPerMinute: read.integer('RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000),
      maxEntityRepresentations: read.integer('MAX_ENTITY_REPRESENTATIONS', 500, 1, 100_000),
    },
    serviceSdl: { secret: serviceSdlSecret, scope: read.optionalString('JWT_SERVICE_SDL_SCOPE') },
    persistedOperations: { file: persistedFile, allowArbitrary },
    upstream: {
      baseUrl,
      apiKey,
      batchApi: read.oneOf('LLAMA_CLOUD_BATCH_API', BATCH_APIS, 'v1'),
      timeoutMs: read.integer('UPSTREAM_TIMEOUT_MS', 10_000, 1, 600_000),
      maxConnections: read.integer('UPSTREAM_MAX_CONNECTIONS', 32, 1, 1024),
      maxConcurrency: read.integer('UPSTREAM_MAX_CONCURRENCY', 8, 1, 256),
      maxQueue: read.integer('UPSTREAM_MAX_QUEUE', 256, 0, 100_000),
      maxRetries: read.integer('UPSTREAM_MAX_RETRIES', 2, 0, 10),
      retryBaseDelayMs: read.integer('UPSTREAM_RETRY_BASE_DELAY_MS', 200, 1, 60_000),
      cacheTtlMs: read.integer('UPSTREAM_CACHE_TTL_MS', 0, 0, 3_600_000),
      cacheMaxBytes: read.integer('UPSTREAM_CACHE_MAX_BYTES', 32 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024),
      maxResponseBytes: read.integer('UPSTREAM_MAX_RESPONSE_BYTES', 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    },
    shareIdenticalQueries: read.boolean('SHARE_IDENTICAL_QUERIES', true),
    compileQueriesAfter: read.integer('COMPILE_QUERIES_AFTER', 10, 0, 1_000_000),
    fastPath: read.boolean('FAST_PATH', true),
    requestDeadlineMs: read.integer('REQUEST_DEADLINE_MS', 15_000, 1, 600_000),
    live: {
      pollIntervalMs: read.integer('LIVE_POLL_INTERVAL_MS', 2000, 50, 3_600_000),
      pollIntervalWithWebhooksMs: read.integer('LIVE_POLL_INTERVAL_WITH_WEBHOOKS_MS', 30_000, 50, 3_600_000),
    },
    webhooks: { secret: read.secret('LLAMA_CLOUD_WEBHOOK_SECRET') },
    dashboard: read.boolean('DASHBOARD', !production),
    breaker: {
      failureRatio: read.integer('BREAKER_FAILURE_PERCENT', 50, 1, 100) / 100,
      minimumCalls: read.integer('BREAKER_MIN_CALLS', 10, 1, 100_000),
      windowMs: read.integer('BREAKER_WINDOW_MS', 10_000, 100, 3_600_000),
      cooldownMs: read.integer('BREAKER_COOLDOWN_MS', 5_000, 1, 3_600_000),
      halfOpenCalls: read.integer('BREAKER_HALF_OPEN_CALLS', 5, 1, 1000),
    },
    log: {
      level: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    },
    redis: {
      url: read.redisUrl('REDIS_URL'),
      keyPrefix: read.string('REDIS_KEY_PREFIX', 'llamacloud-gateway:'),
      commandTimeoutMs: read.integer('REDIS_COMMAND_TIMEOUT_MS', 250, 10, 10_000),
    },
    tracing: readTracing(read, production),
    demo: apiKey === null,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/**
 * Why the trusted-documents manifest cannot be used, or null: checked at boot so a wrong path is a
 * configuration error naming the variable, not a crash when the app is built.
 */
function manifestProblem(file: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return `names ${JSON.stringify(file)}, which cannot be read (${typeof code === 'string' ? code : 'unreadable'}). Give the path of the manifest \`npm run codegen\` writes, e.g. client/generated/persisted-documents.json.`;
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return null;
  } catch {
    // reported below
  }
  return `names ${JSON.stringify(file)}, which is not a JSON object of hash → operation (the client preset's persisted-documents.json).`;
}

/** Whether traces are on: the SDK's own variables decide, checked here so a typo stops the start. */
function readTracing(read: EnvReader, production: boolean): Config['tracing'] {
  const endpoints = ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'OTEL_EXPORTER_OTLP_ENDPOINT'].filter((name) =>
    read.isSet(name),
  );
  for (const name of endpoints) read.url(name, 'http://localhost:4318', 'http://otel-collector:4318');
  const disabled = read.boolean('OTEL_SDK_DISABLED', false);
  const exporter = read.isSet('OTEL_TRACES_EXPORTER') ? read.string('OTEL_TRACES_EXPORTER', 'otlp') : 'otlp';
  return {
    enabled: endpoints.length > 0 && !disabled && exporter !== 'none',
    trustTraceHeaders: read.boolean('TRUST_TRACE_HEADERS', !production),
  };
}
