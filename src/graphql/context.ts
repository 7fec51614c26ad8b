/**
 * What every resolver gets. Built per request by the app's context factory.
 */
import type { Config } from '../config/config.js';
import type { Loaders } from './loaders.js';
import type { Viewer } from '../request-state.js';
import type { IdempotencyStore } from '../sharing/idempotent-creates.js';
import type { LiveJobs } from '../sharing/live-jobs.js';
import type { CallOptions, LlamaCloudClient } from '../upstream/client.js';

export interface GatewayContext {
  /** Per-request loaders; use them rather than the client so calls are deduplicated. */
  loaders: Loaders;
  /** The long-lived upstream client, for calls that must not be cached (mutations). */
  upstream: LlamaCloudClient;
  /** Who is calling (anonymous when AUTH_MODE=none). */
  viewer: Viewer;
  /** The project and organization this gateway is pinned to, if any. */
  tenant: Config['tenant'];
  /** The scope or role needed to cancel jobs; null when authentication is off. */
  cancelGrant: string | null;
  /** The scope or role needed to create jobs; null when authentication is off. */
  createGrant: string | null;
  /** Where createBatchJob's idempotency keys are kept (Redis in a fleet). */
  idempotency: IdempotencyStore;
  /**
   * This request's deadline, cancellation and logging, for direct client calls. When the request
   * shares its execution with identical ones, `signal` is one that aborts when every client
   * sharing it has gone (request-state.ts).
   */
  callOptions: CallOptions;
  /** Shared job pollers for subscriptions. */
  live: LiveJobs;
}
