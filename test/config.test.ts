import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config/config.js';
import { runMain } from './support/process.js';

describe('configuration', () => {
  it('has documented defaults, and no key means demo mode', () => {
    const config = parseConfig({});
    expect(config).toEqual({
      production: false,
      server: {
        host: '0.0.0.0',
        port: 4000,
        corsOrigins: [],
        trustProxy: false,
        maxConnections: 10_000,
        maxConnectionsPerIp: 256,
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 30_000,
        keepAliveTimeoutMs: 5_000,
        shutdownGraceMs: 10_000,
      },
      auth: { mode: 'none' },
      tenant: { projectId: null, organizationId: null },
      limits: {
        maxDepth: 10,
        maxAliases: 15,
        maxDirectives: 20,
        maxTokens: 2000,
        maxCost: 50_000,
        maxBodyBytes: 100_000,
        rateLimitPerMinute: 600,
        maxEntityRepresentations: 500,
      },
      serviceSdl: { secret: null, scope: null },
      persistedOperations: { file: null, allowArbitrary: true },
      upstream: {
        baseUrl: new URL('https://api.cloud.llamaindex.ai'),
        apiKey: null,
        batchApi: 'v1',
        timeoutMs: 10_000,
        maxConnections: 32,
        maxConcurrency: 8,
        maxQueue: 256,
        maxRetries: 2,
        retryBaseDelayMs: 200,
        cacheTtlMs: 0,
        cacheMaxBytes: 33_554_432,
        maxResponseBytes: 16 * 1024 * 1024,
      },
      shareIdenticalQueries: true,
      compileQueriesAfter: 10,
      fastPath: true,
      requestDeadlineMs: 15_000,
      live: { pollIntervalMs: 2000, pollIntervalWithWebhooksMs: 30_000 },
      webhooks: { secret: null },
      dashboard: true,
      breaker: { failureRatio: 0.5, minimumCalls: 10, windowMs: 10_000, cooldownMs: 5_000, halfOpenCalls: 5 },
      log: { level: 'info' },
      redis: { url: null, keyPrefix: 'llamacloud-gateway:', commandTimeoutMs: 250 },
      tracing: { enabled: false, trustTraceHeaders: true },
      demo: true,
    });
  });

  it('reads every variable', () => {
    const config = parseConfig({
      LLAMA_CLOUD_API_KEY: 'llx-abcdef',
      LLAMA_CLOUD_BATCH_API: 'v2',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel-collector:4318',
      TRUST_TRACE_HEADERS: 'false',
      LLAMA_CLOUD_BASE_URL: 'https://api.cloud.eu.llamaindex.ai',
      PORT: '8080',
      HOST: '127.0.0.1',
      UPSTREAM_TIMEOUT_MS: '2500',
      UPSTREAM_MAX_CONNECTIONS: '4',
      UPSTREAM_MAX_CONCURRENCY: '3',
      UPSTREAM_MAX_QUEUE: '10',
      UPSTREAM_MAX_RETRIES: '1',
      UPSTREAM_RETRY_BASE_DELAY_MS: '50',
      UPSTREAM_CACHE_TTL_MS: '250',
      UPSTREAM_CACHE_MAX_BYTES: '1048576',
      SHARE_IDENTICAL_QUERIES: 'false',
      COMPILE_QUERIES_AFTER: '0',
      FAST_PATH: 'false',
      REQUEST_DEADLINE_MS: '5000',
      LIVE_POLL_INTERVAL_MS: '500',
      LIVE_POLL_INTERVAL_WITH_WEBHOOKS_MS: '10000',
      LLAMA_CLOUD_WEBHOOK_SECRET: 'whsec-config-test',
      BREAKER_FAILURE_PERCENT: '30',
      BREAKER_MIN_CALLS: '4',
      BREAKER_WINDOW_MS: '5000',
      BREAKER_COOLDOWN_MS: '2000',
      BREAKER_HALF_OPEN_CALLS: '2',
      MAX_CONNECTIONS: '500',
      MAX_CONNECTIONS_PER_IP: '0',
      HEADERS_TIMEOUT_MS: '2000',
      REQUEST_TIMEOUT_MS: '4000',
      KEEP_ALIVE_TIMEOUT_MS: '65000',
      SHUTDOWN_GRACE_MS: '25000',
      MAX_ENTITY_REPRESENTATIONS: '100',
      UPSTREAM_MAX_RESPONSE_BYTES: '2048',
      SERVICE_SDL_SECRET: 'x'.repeat(40),
      JWT_SERVICE_SDL_SCOPE: 'graph:sdl',
      REDIS_URL: 'rediss://:pw@redis.internal:6380/2',
      REDIS_KEY_PREFIX: 'staging:',
      REDIS_COMMAND_TIMEOUT_MS: '500',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
      TRUST_PROXY: 'true',
      AUTH_MODE: 'jwt',
      JWT_SECRET: 's'.repeat(32),
      JWT_ISSUER: 'https://issuer.example.com/',
      JWT_AUDIENCE: 'batch-gateway',
      JWT_CANCEL_SCOPE: 'jobs:cancel',
      JWT_CREATE_SCOPE: 'jobs:create',
      LLAMA_CLOUD_PROJECT_ID: 'proj-1',
      LLAMA_CLOUD_ORGANIZATION_ID: 'org-1',
      MAX_DEPTH: '6',
      MAX_ALIASES: '3',
      MAX_DIRECTIVES: '4',
      MAX_TOKENS: '500',
      MAX_COST: '900',
      MAX_BODY_BYTES: '2048',
      RATE_LIMIT_PER_MINUTE: '0',
      PERSISTED_OPERATIONS_FILE: 'client/generated/persisted-documents.json',
      ALLOW_ARBITRARY_OPERATIONS: 'false',
    });
    expect(config).toEqual({
      production: true,
      server: {
        host: '127.0.0.1',
        port: 8080,
        corsOrigins: ['https://app.example.com', 'http://localhost:5173'],
        trustProxy: true,
        maxConnections: 500,
        maxConnectionsPerIp: 0,
        headersTimeoutMs: 2000,
        requestTimeoutMs: 4000,
        keepAliveTimeoutMs: 65_000,
        shutdownGraceMs: 25_000,
      },
      auth: {
        mode: 'jwt',
        jwksUrl: null,
        secret: 's'.repeat(32),
        issuer: 'https://issuer.example.com/',
        audience: 'batch-gateway',
        algorithms: ['HS256'],
        cancelScope: 'jobs:cancel',
        createScope: 'jobs:create',
      },
      tenant: { projectId: 'proj-1', organizationId: 'org-1' },
      limits: {
        maxDepth: 6,
        maxAliases: 3,
        maxDirectives: 4,
        maxTokens: 500,
        maxCost: 900,
        maxBodyBytes: 2048,
        rateLimitPerMinute: 0,
        maxEntityRepresentations: 100,
      },
      serviceSdl: { secret: 'x'.repeat(40), scope: 'graph:sdl' },
      persistedOperations: { file: 'client/generated/persisted-documents.json', allowArbitrary: false },
      upstream: {
        baseUrl: new URL('https://api.cloud.eu.llamaindex.ai'),
        apiKey: 'llx-abcdef',
        batchApi: 'v2',
        timeoutMs: 2500,
        maxConnections: 4,
        maxConcurrency: 3,
        maxQueue: 10,
        maxRetries: 1,
        retryBaseDelayMs: 50,
        cacheTtlMs: 250,
        cacheMaxBytes: 1_048_576,
        maxResponseBytes: 2048,
      },
      shareIdenticalQueries: false,
      compileQueriesAfter: 0,
      fastPath: false,
      requestDeadlineMs: 5000,
      live: { pollIntervalMs: 500, pollIntervalWithWebhooksMs: 10_000 },
      webhooks: { secret: 'whsec-config-test' },
      dashboard: false,
      breaker: { failureRatio: 0.3, minimumCalls: 4, windowMs: 5000, cooldownMs: 2000, halfOpenCalls: 2 },
      log: { level: 'warn' },
      redis: { url: new URL('rediss://:pw@redis.internal:6380/2'), keyPrefix: 'staging:', commandTimeoutMs: 500 },
      tracing: { enabled: true, trustTraceHeaders: false },
      demo: false,
    });
  });

  it('refuses a key too short to scrub from answers safely (it would match ordinary text), without quoting it', () => {
    let error: unknown;
    try {
      parseConfig({ LLAMA_CLOUD_API_KEY: 'llx-id', LLAMA_CLOUD_BASE_URL: 'https://api.cloud.llamaindex.ai' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(['LLAMA_CLOUD_API_KEY must be at least 8 characters long.']);
    expect(parseConfig({ LLAMA_CLOUD_API_KEY: 'llx-abcd' }).upstream.apiKey).toBe('llx-abcd');
  });

  it('lists every problem at once, and never quotes the key', () => {
    let error: unknown;
    try {
      parseConfig({
        LLAMA_CLOUD_API_KEY: 'llx-with space',
        LLAMA_CLOUD_BASE_URL: 'not a url',
        PORT: 'eighty',
        UPSTREAM_TIMEOUT_MS: '-1',
        LOG_LEVEL: 'loud',
        LLAMA_CLOUD_BATCH_API: 'v3',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'LLAMA_CLOUD_API_KEY contains white space; paste the key alone, without quotes or spaces.',
      'LLAMA_CLOUD_BASE_URL must be an http(s) URL such as https://api.cloud.llamaindex.ai; got "not a url".',
      'LLAMA_CLOUD_BASE_URL is set but LLAMA_CLOUD_API_KEY is not: set the key too, or unset both to run in demo mode.',
      'PORT must be a whole number from 0 to 65535; got "eighty".',
      'LLAMA_CLOUD_BATCH_API must be one of v1, v2; got "v3".',
      'UPSTREAM_TIMEOUT_MS must be a whole number from 1 to 600000; got "-1".',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace; got "loud".',
    ]);
    expect((error as ConfigError).message).not.toContain('llx-with');
  });

  it.each([
    [
      { NODE_ENV: 'production', LLAMA_CLOUD_API_KEY: 'llx-production' },
      'AUTH_MODE must be set when NODE_ENV=production: "jwt", or "none" to accept every caller on purpose.',
    ],
    [
      { NODE_ENV: 'production', AUTH_MODE: 'none' },
      'LLAMA_CLOUD_API_KEY is required when NODE_ENV=production (demo mode is for trying the gateway out).',
    ],
    [{ AUTH_MODE: 'jwt' }, 'AUTH_MODE=jwt needs exactly one of JWT_JWKS_URL (asymmetric keys) or JWT_SECRET (HS256).'],
    [{ AUTH_MODE: 'jwt', JWT_SECRET: 'too-short' }, 'JWT_SECRET must be at least 32 characters long.'],
    [{ AUTH_MODE: 'jwt', JWT_SECRET: 's'.repeat(32), JWT_ALGORITHMS: 'none' }, 'JWT_ALGORITHMS may hold only HS256'],
    [
      { REDIS_URL: 'http://:hunter2-secret@redis.internal:6379' },
      'REDIS_URL must be a redis:// or rediss:// URL such as redis://:password@redis.internal:6379/0.',
    ],
    [
      { REDIS_URL: 'redis://:hunter2-secret@redis.internal:6379/main' },
      'REDIS_URL may name a database only as a number',
    ],
    [
      { ALLOW_ARBITRARY_OPERATIONS: 'false' },
      'ALLOW_ARBITRARY_OPERATIONS=false needs PERSISTED_OPERATIONS_FILE: without a manifest nothing could run.',
    ],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY must be true or false; got "maybe".'],
    [
      { PERSISTED_OPERATIONS_FILE: './persisted-documents.json' },
      'PERSISTED_OPERATIONS_FILE names "./persisted-documents.json", which cannot be read (ENOENT). Give the path of the manifest `npm run codegen` writes, e.g. client/generated/persisted-documents.json.',
    ],
    [
      { PERSISTED_OPERATIONS_FILE: 'README.md' },
      'PERSISTED_OPERATIONS_FILE names "README.md", which is not a JSON object of hash',
    ],
  ])('refuses %j', (env: Record<string, string>, problem: string) => {
    expect(() => parseConfig(env)).toThrow(problem);
  });

  it('never quotes a REDIS_URL back: it may hold the password', () => {
    for (const url of ['http://:hunter2-secret@redis.internal', 'redis://:hunter2-secret@redis.internal/db']) {
      expect(() => parseConfig({ REDIS_URL: url })).toThrow(ConfigError);
      expect(() => parseConfig({ REDIS_URL: url })).not.toThrow(/hunter2/);
    }
  });

  it.each([
    [
      'ftp://example.com',
      'LLAMA_CLOUD_BASE_URL must be an http(s) URL such as https://api.cloud.llamaindex.ai; got "ftp://example.com".',
    ],
    [
      'https://user:pw@example.com',
      'LLAMA_CLOUD_BASE_URL must be a plain base URL, without a query, fragment or credentials.',
    ],
  ])('rejects base URL %s', (url, problem) => {
    expect(() => parseConfig({ LLAMA_CLOUD_API_KEY: 'llx-base-url', LLAMA_CLOUD_BASE_URL: url })).toThrow(problem);
  });

  it('stops the process with exit code 1 and one message listing every problem', async () => {
    await using proc = runMain({ PORT: '99999', LOG_LEVEL: 'chatty' });

    expect(await proc.exit).toBe(1);
    expect(proc.stderr.join('')).toBe(
      [
        'Invalid configuration:',
        '  - PORT must be a whole number from 0 to 65535; got "99999".',
        '  - LOG_LEVEL must be one of fatal, error, warn, info, debug, trace; got "chatty".',
        'Fix these environment variables and start again.',
        '',
      ].join('\n'),
    );
    expect(proc.stdout).toEqual([]);
  });
});
