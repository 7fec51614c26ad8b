/**
 * The app factory: builds the GraphQL server from its dependencies and nothing else. It reads no
 * environment and opens no socket, so tests and `main` wire it the same way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from './config/config.js';
import { useCompiledExecution } from './graphql/compiled-execution.js';
import type { GatewayContext } from './graphql/context.js';
import { createErrorMasker, enumValuesOf, useClosedErrorCodes, useErrorCounts } from './graphql/error-codes.js';
import { EXAMPLE_QUERY } from './graphql/example-query.js';
import { createLoaders } from './graphql/loaders.js';
import { mergeRequestHooks } from './graphql/merged-hooks.js';
import { buildSchema } from './graphql/schema.js';
import { useDashboard } from './http/dashboard.js';
import { useGraphiQL, type GraphiQLLoader } from './http/graphiql.js';
import { useWebhooks } from './http/webhooks.js';
import { useOperationalEndpoints } from './http/operational-endpoints.js';
import type { Logger } from './observability/logger.js';
import { sharedAnswers } from './fleet/answers.js';
import { sharedBackoff } from './fleet/backoff.js';
import { fleetPolling } from './fleet/poll-leases.js';
import { SharedRateLimiter } from './fleet/rate-limit.js';
import { connectRedis } from './fleet/redis.js';
import { GatewayMetrics } from './observability/metrics.js';
import { RequestTracker } from './observability/request-log.js';
import { CSRF_HEADER } from './security/csrf.js';
import { securityPlugins } from './security/plugins.js';
import { LiveJobs } from './sharing/live-jobs.js';
import { countedSharedWork } from './sharing/shared-work.js';
import { memoryIdempotency, redisIdempotency } from './sharing/idempotent-creates.js';
import { useSharedExecution } from './sharing/shared-execution.js';
import { LlamaCloudClient, type CallOptions, type UpstreamCall } from './upstream/client.js';
import { useOperationSpans } from './observability/graphql-spans.js';
import { tracedListener } from './observability/tracing.js';
import { ANONYMOUS, clientGone, requestState, type RequestState } from './request-state.js';
import type { CancelSignal } from './cancellation.js';
import { CallerChecks } from './security/caller-checks.js';
import { costDependsOnVariables } from './security/cost.js';
import { FastPath } from './sharing/fast-path.js';

function pinnedQuery(tenant: Config['tenant']): Record<string, string> {
  const query: Record<string, string> = {};
  if (tenant.projectId) query.project_id = tenant.projectId;
  if (tenant.organizationId) query.organization_id = tenant.organizationId;
  return query;
}

/**
 * One of Yoga's log methods, written to our logger. Yoga logs three debug lines per request: their
 * text is made only when the level is on.
 */
function yogaLine(logger: Logger, level: 'debug' | 'info' | 'warn' | 'error'): (...args: unknown[]) => void {
  return (...args) => {
    if (logger.isLevelEnabled(level)) logger[level](args.map(String).join(' '));
  };
}

const GRAPHQL_ENDPOINT = '/graphql';
/** What a client sees instead of an error that is not ours to show (Yoga's wording). */
const UNEXPECTED_ERROR = 'Unexpected error.';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  /** The upstream to use; by default one is built from `config.upstream`. */
  upstream?: LlamaCloudClient;
  /** Metrics registry; by default a fresh one. */
  metrics?: GatewayMetrics;
  /** How GraphiQL's code is loaded; by default the bundled package (tests make it fail). */
  loadGraphiQL?: GraphiQLLoader;
}

export interface App {
  yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  /** What the HTTP server calls for each request: Yoga's listener (inside a server span when tracing). */
  requestListener: (req: IncomingMessage, res: ServerResponse) => void;
  /** Largest request body accepted, enforced by the HTTP server (413 beyond it). */
  maxBodyBytes: number;
  metrics: GatewayMetrics;
  live: LiveJobs;
  /** Marks the app as stopping: /ready answers 503 from now on. */
  beginShutdown(): void;
  /** Releases long-lived resources (the upstream pool, Redis). Call after the HTTP server has drained. */
  close(): Promise<void>;
}

export function createApp({
  config,
  logger,
  upstream,
  metrics = new GatewayMetrics(),
  loadGraphiQL,
}: AppDependencies): App {
  const { apiKey } = config.upstream;
  if (upstream === undefined && apiKey === null) {
    throw new Error('createApp needs an upstream API key; in demo mode, start the demo upstream first');
  }
  // A fleet's shared state (REDIS_URL): rate limits and LlamaCloud's back-off, across replicas.
  const redisUrl = config.redis.url;
  const redis = redisUrl ? connectRedis({ ...config.redis, url: redisUrl }, logger, metrics) : null;
  const backoff = redis ? sharedBackoff(redis, logger) : undefined;
  // The one place work is shared between requests: upstream calls, executions and responses.
  const work = countedSharedWork(metrics, config.upstream.cacheTtlMs > 0, config.upstream.cacheMaxBytes);
  const client =
    upstream ??
    new LlamaCloudClient(
      {
        ...config.upstream,
        apiKey: apiKey ?? '',
        breaker: config.breaker,
        pinnedQuery: pinnedQuery(config.tenant),
      },
      {
        metrics,
        backoff,
        // The lock a replica holds while it fetches for the fleet: one upstream exchange long.
        answers: redis ? sharedAnswers(redis, apiKey ?? '', config.upstream.timeoutMs + 500) : undefined,
        work,
        logger,
      },
    );
  const idempotency = redis ? redisIdempotency(redis) : memoryIdempotency();
  const tracker = new RequestTracker(logger, metrics, GRAPHQL_ENDPOINT);
  const perMinute = config.limits.rateLimitPerMinute;
  // The rate limit in Redis in a fleet (in-process otherwise).
  const sharedRateLimit = redis && perMinute > 0 ? new SharedRateLimiter(redis, perMinute) : undefined;
  const webhookSecret = config.webhooks.secret;
  const live = new LiveJobs(client, {
    // With signed webhooks pushing changes, polls are only a safety net.
    intervalMs: webhookSecret ? config.live.pollIntervalWithWebhooksMs : config.live.pollIntervalMs,
    pollDeadlineMs: config.requestDeadlineMs,
    // Half the upstream connections at most: the other half stays free for queries.
    maxConcurrentPolls: Math.max(1, Math.floor(config.upstream.maxConnections / 2)),
    logger,
    coordinator: redis ? fleetPolling(redis, config.live.pollIntervalMs, logger) : undefined,
    metrics,
  });
  /** The resolvers' context of a request whose upstream calls obey `signal`. */
  const contextFor = (
    state: RequestState,
    signal: CancelSignal,
    onAnswerExpiry?: (until: number) => void,
  ): GatewayContext => {
    const callOptions: CallOptions = {
      signal,
      deadline: Date.now() + config.requestDeadlineMs,
      onCall: (call: UpstreamCall) => state.upstream.push(call),
      onAnswerExpiry,
    };
    return {
      upstream: client,
      viewer: state.viewer ?? ANONYMOUS,
      tenant: config.tenant,
      cancelGrant: config.auth.mode === 'jwt' ? config.auth.cancelScope : null,
      createGrant: config.auth.mode === 'jwt' ? config.auth.createScope : null,
      idempotency,
      callOptions,
      live,
      loaders: createLoaders(client, callOptions, { maxConcurrency: config.upstream.maxConcurrency }),
    };
  };
  const yogaLogger = logger.child({ component: 'yoga' });
  const maskGatewayError = createErrorMasker(logger);
  const callerChecks = new CallerChecks(config, sharedRateLimit);
  // Known documents sent again are answered before Yoga (not with tracing on: its spans are Yoga's).
  const fastPath =
    config.fastPath && !config.tracing.enabled
      ? new FastPath({
          endpoint: GRAPHQL_ENDPOINT,
          work,
          maskError: (error) => maskGatewayError(error, UNEXPECTED_ERROR),
          cacheTtlMs: config.upstream.cacheTtlMs,
          callerChecks,
          tracker,
          metrics,
          shareIdentical: config.shareIdenticalQueries,
          cors: config.server.corsOrigins.length > 0,
          costVaries: costDependsOnVariables,
          contextFor,
        })
      : undefined;
  let shuttingDown = false;

  const schema = buildSchema(client.generation);
  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema,
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    landingPage: false,
    // Served by http/graphiql.ts, outside production only: the schema is not for strangers to browse.
    graphiql: false,
    cors:
      config.server.corsOrigins.length > 0
        ? {
            origin: config.server.corsOrigins,
            credentials: true,
            methods: ['GET', 'POST'],
            allowedHeaders: ['content-type', 'authorization', 'x-request-id', CSRF_HEADER],
          }
        : false,
    batching: false,
    context: (initial) => {
      const state = requestState(initial.request);
      // Shared execution has decided by now (at onParams) which signal the upstream calls obey
      // and who hears of the answers' freshness.
      return contextFor(state, state.upstreamSignal ?? clientGone(initial.request, initial), state.onAnswerExpiry);
    },
    maskedErrors: { errorMessage: UNEXPECTED_ERROR, maskError: maskGatewayError },
    logging: {
      debug: yogaLine(yogaLogger, 'debug'),
      info: yogaLine(yogaLogger, 'info'),
      warn: yogaLine(yogaLogger, 'warn'),
      error: yogaLine(yogaLogger, 'error'),
    },
    // One hook per stage for all of them (merged-hooks.ts): Yoga's per-hook promise machinery is
    // paid once per stage instead of once per plugin.
    plugins: mergeRequestHooks([
      // First: a request the fast path handed on keeps the state it began.
      ...(fastPath ? [fastPath.plugin()] : []),
      ...(config.dashboard ? [useDashboard(config)] : []),
      tracker.plugin(),
      ...(webhookSecret
        ? [
            useWebhooks({
              secret: webhookSecret,
              live,
              logger,
              metrics,
              // Any kept answer may show the job as it was: all of them go (they are short-lived).
              forgetJobs: () => work.forgetKept(),
            }),
          ]
        : []),
      ...(config.production
        ? []
        : [
            useGraphiQL({
              endpoint: GRAPHQL_ENDPOINT,
              title: 'LlamaCloud batch jobs',
              query: EXAMPLE_QUERY,
              logger,
              load: loadGraphiQL,
            }),
          ]),
      ...securityPlugins(config, callerChecks),
      // Ready to take traffic unless stopping or while LlamaCloud is failing (breaker open).
      useOperationalEndpoints({ ready: () => !shuttingDown && !client.breakerOpen, registry: metrics.registry }),
      useClosedErrorCodes(config.production, config.upstream.apiKey, enumValuesOf(schema)),
      useErrorCounts(metrics),
      // Before shared execution, so the execution a crowd shares is the compiled one.
      useCompiledExecution({
        after: config.compileQueriesAfter,
        logger,
        metrics,
        onCompiled: fastPath ? (args, compiled) => fastPath.remember(args, compiled) : undefined,
      }),
      // Last, so a request joins an execution only once the checks above that run per request
      // (authentication, rate limit, trusted documents) have passed.
      ...(config.shareIdenticalQueries
        ? [
            useSharedExecution({
              work,
              maskError: (error) => maskGatewayError(error, UNEXPECTED_ERROR),
              cacheTtlMs: config.upstream.cacheTtlMs,
            }),
          ]
        : []),
      // Last: the operation's span wraps the execution the plugins above settled on.
      ...(config.tracing.enabled ? [useOperationSpans()] : []),
    ]),
  });

  return {
    yoga,
    requestListener: config.tracing.enabled
      ? tracedListener(yoga.requestListener)
      : (fastPath?.listener(yoga.requestListener) ?? yoga.requestListener),
    maxBodyBytes: config.limits.maxBodyBytes,
    metrics,
    live,
    beginShutdown: () => {
      shuttingDown = true;
      // Subscription streams would hold the server open: end them so clients reconnect elsewhere.
      live.close();
    },
    close: async () => {
      await client.close();
      await redis?.close();
    },
  };
}
