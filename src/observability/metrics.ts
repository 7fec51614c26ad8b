/**
 * Prometheus metrics (prom-client), one registry per app so tests and several apps in one process
 * never share counters. Served at GET /metrics by operational-endpoints.ts.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const BREAKER_STATES = { closed: 0, open: 1, halfOpen: 2 } as const;

/** Distinct operation names given their own series; later ones are counted as OTHER_OPERATIONS. */
export const MAX_OPERATION_NAMES = 200;
export const OTHER_OPERATIONS = '(other)';

export class GatewayMetrics {
  readonly registry = new Registry();

  readonly graphqlDuration = new Histogram({
    name: 'gateway_graphql_request_duration_seconds',
    help: 'Duration of GraphQL requests over HTTP, from arrival to response, by operation name and type and HTTP status.',
    labelNames: ['operationName', 'operationType', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: 'gateway_upstream_request_duration_seconds',
    help: 'Duration of one upstream HTTP exchange with LlamaCloud, by route and status ("error" when no answer came).',
    labelNames: ['route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly upstreamRetries = new Counter({
    name: 'gateway_upstream_retries_total',
    help: 'Upstream requests retried, by route and the reason (status or error code).',
    labelNames: ['route', 'reason'] as const,
    registers: [this.registry],
  });

  readonly coalescedWaiters = new Counter({
    name: 'gateway_upstream_coalesced_waiters_total',
    help: 'GraphQL requests that joined an identical upstream GET already in flight instead of sending their own.',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  readonly sharedExecutions = new Counter({
    name: 'gateway_graphql_shared_executions_total',
    help: "GraphQL queries answered by an identical query (same document, variables and caller) already executing, or with the micro-cache on just finished, instead of executing again: their result and its JSON are the other request's.",
    registers: [this.registry],
  });

  readonly fastPath = new Counter({
    name: 'gateway_graphql_fast_path_total',
    help: 'GraphQL POSTs the fast path read (FAST_PATH): answered past Yoga (answered), a document it does not know or a body that is not plain (unknown), or a known document handed on to Yoga after all (handed_on: errors to answer, a refused caller, variables that do not coerce).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly compiledOperations = new Counter({
    name: 'gateway_graphql_compiled_operations_total',
    help: 'Query operations compiled to JavaScript (graphql-jit) after COMPILE_QUERIES_AFTER runs.',
    registers: [this.registry],
  });

  readonly subscriptionsActive = new Gauge({
    name: 'gateway_subscriptions_active',
    help: 'batchJobUpdated streams open now.',
    registers: [this.registry],
  });

  readonly subscriptionsStarted = new Counter({
    name: 'gateway_subscriptions_started_total',
    help: 'batchJobUpdated streams started.',
    registers: [this.registry],
  });

  readonly subscriptionsEnded = new Counter({
    name: 'gateway_subscriptions_ended_total',
    help: 'batchJobUpdated streams ended, by outcome: completed (a terminal status), not_found, shutting_down, client_left.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly webhooks = new Counter({
    name: 'gateway_webhooks_total',
    help: 'LlamaCloud webhooks received, by outcome: accepted, duplicate (a replay), refused (signature), too_large, ignored (no batch named).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly unknownEnumValues = new Counter({
    name: 'gateway_upstream_unknown_enum_values_total',
    help: 'Jobs and items LlamaCloud sent with a status or type this gateway does not know (served as UNKNOWN), by enum and value (at most 20 values per enum; the rest count as "other").',
    labelNames: ['enum', 'value'] as const,
    registers: [this.registry],
  });

  readonly cacheHits = new Counter({
    name: 'gateway_upstream_cache_hits_total',
    help: 'Upstream GETs answered from the micro-cache (UPSTREAM_CACHE_TTL_MS).',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  readonly rejectedForQueue = new Counter({
    name: 'gateway_upstream_queue_rejections_total',
    help: 'Upstream requests refused at once because too many were waiting for a connection.',
    registers: [this.registry],
  });

  readonly breakerState = new Gauge({
    name: 'gateway_upstream_breaker_state',
    help: 'Circuit breaker state: 0 closed, 1 open (failing fast), 2 half-open (a few trial calls, BREAKER_HALF_OPEN_CALLS).',
    registers: [this.registry],
  });

  readonly breakerTransitions = new Counter({
    name: 'gateway_upstream_breaker_transitions_total',
    help: 'Circuit breaker state changes, by the state entered.',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  readonly breakerShed = new Counter({
    name: 'gateway_upstream_breaker_shed_total',
    help: 'Upstream calls not made because the circuit breaker was open (or its half-open trials were all taken).',
    registers: [this.registry],
  });

  readonly oversizedAnswers = new Counter({
    name: 'gateway_upstream_oversized_answers_total',
    help: 'Upstream answers refused for being larger than UPSTREAM_MAX_RESPONSE_BYTES.',
    registers: [this.registry],
  });

  readonly connectionsRefused = new Counter({
    name: 'gateway_http_connections_refused_total',
    help: 'Client connections closed on arrival, by reason: the server-wide MAX_CONNECTIONS or MAX_CONNECTIONS_PER_IP.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly requestsCut = new Counter({
    name: 'gateway_http_requests_cut_total',
    help: 'Requests still unanswered when the shutdown grace period (SHUTDOWN_GRACE_MS) ran out, whose connection was closed.',
    registers: [this.registry],
  });

  readonly redisUp = new Gauge({
    name: 'gateway_redis_up',
    help: 'Whether the shared Redis (REDIS_URL) answers: 1 up, 0 unreachable (shared features use in-process state meanwhile). Absent without REDIS_URL.',
    registers: [this.registry],
  });

  readonly redisFallbacks = new Counter({
    name: 'gateway_redis_fallbacks_total',
    help: 'Times a shared feature used its in-process state because Redis could not answer, by feature.',
    labelNames: ['feature'] as const,
    registers: [this.registry],
  });

  readonly graphqlErrors = new Counter({
    name: 'gateway_graphql_errors_total',
    help: 'Errors returned to GraphQL clients, by extensions.code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  // Operation names come from clients: without a bound, a client sending a new name on every
  // request would grow the registry (and every scrape) without end.
  readonly #operationNames = new Set<string>();

  /** Records one GraphQL request. */
  observeGraphQLRequest(
    operationName: string | undefined,
    operationType: string | undefined,
    status: number,
    seconds: number,
  ): void {
    let name = operationName ?? 'Anonymous';
    if (!this.#operationNames.has(name)) {
      if (this.#operationNames.size < MAX_OPERATION_NAMES) this.#operationNames.add(name);
      else name = OTHER_OPERATIONS;
    }
    this.graphqlDuration.observe({ operationName: name, operationType: operationType ?? 'unknown', status }, seconds);
  }

  /** Set by the upstream client: how many requests wait for a pooled connection right now. */
  queueDepth: () => number = () => 0;

  constructor() {
    const source = () => this.queueDepth();
    new Gauge({
      name: 'gateway_upstream_pool_queue_depth',
      help: 'Upstream requests waiting for a free connection in the pool.',
      registers: [this.registry],
      collect() {
        this.set(source());
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }
}
